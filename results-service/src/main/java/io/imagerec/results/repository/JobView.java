package io.imagerec.results.repository;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job as the results API shows it; the Rekognition parts keep Rekognition's shapes.
 *
 * @param error null unless the job FAILED
 */
public record JobView(
        String jobId,
        String imageId,
        String status,
        Error error,
        JsonNode labels,
        JsonNode imageProperties,
        JsonNode faceDetails,
        JsonNode textDetections,
        String modelVersion,
        String engine,
        int attempt,
        Instant submittedAt,
        Instant updatedAt,
        Instant completedAt) {

    public record Error(String code, String message) {
    }
}
