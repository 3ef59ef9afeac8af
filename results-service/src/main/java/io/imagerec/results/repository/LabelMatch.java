package io.imagerec.results.repository;

import java.time.Instant;

/** An image whose job found the label asked for, with that label's confidence. */
public record LabelMatch(String imageId, String jobId, String label, float confidence, Instant submittedAt) {
}
