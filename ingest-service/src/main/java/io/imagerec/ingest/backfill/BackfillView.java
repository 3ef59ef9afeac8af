package io.imagerec.ingest.backfill;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.imagerec.contracts.Feature;

/** A backfill as its API shows it. */
public record BackfillView(String backfillId, String state, String bucket, String prefix, List<Feature> features,
        Float minConfidence, Integer maxLabels, int ratePerSecond, long listed, long enqueued, long skipped,
        String lastKey, String error, Instant createdAt, Instant updatedAt, Map<String, String> links) {

    static BackfillView of(Backfill b, String self) {
        return new BackfillView(b.id(), b.state(), b.bucket(), b.prefix(), b.options().effectiveFeatures(),
                b.options().minConfidence(), b.options().maxLabels(), b.ratePerSecond(), b.listed(), b.enqueued(),
                b.skipped(), b.cursor(), b.error(), b.createdAt(), b.updatedAt(), Map.of("self", self));
    }
}
