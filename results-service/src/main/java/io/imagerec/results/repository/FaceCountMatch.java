package io.imagerec.results.repository;

import java.time.Instant;

/** An image whose job found a number of faces within the range asked for. */
public record FaceCountMatch(String imageId, String jobId, int faceCount, Instant submittedAt) {
}
