package io.imagerec.ingest.backfill;

import java.util.List;

import io.imagerec.contracts.Feature;

/** The body of {@code POST /v1/backfills}: which objects to recognise, how, and how fast. */
public record BackfillRequest(String bucket, String prefix, List<Feature> features, Float minConfidence,
        Integer maxLabels, Integer ratePerSecond) {
}
