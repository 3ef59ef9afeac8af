package io.imagerec.ingest.service;

import java.util.List;

import io.imagerec.contracts.Feature;

/**
 * One upload as the REST layer hands it over.
 *
 * @param idempotencyKey the client's Idempotency-Key, or null
 */
public record UploadRequest(
        String tenant,
        byte[] bytes,
        List<Feature> features,
        Float minConfidence,
        Integer maxLabels,
        String idempotencyKey) {
}
