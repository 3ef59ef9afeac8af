package io.imagerec.ingest.direct;

import java.util.List;

import io.imagerec.contracts.Feature;

/** The body of {@code POST /v1/uploads}: what the client will PUT, and the job's options. */
public record DirectUploadRequest(String contentType, Long contentLength, List<Feature> features,
        Float minConfidence, Integer maxLabels) {
}
