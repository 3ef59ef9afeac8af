package io.imagerec.results.repository;

import java.time.Instant;

/** An image whose job read the words asked for, with all the text read in it. */
public record TextMatch(String imageId, String jobId, String text, Instant submittedAt) {
}
