package io.imagerec.results.repository;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job as the results API shows it; the Rekognition parts keep Rekognition's shapes.
 *
 * @param error null unless the job FAILED
 */
public record JobView(
        @Schema(required = true) String jobId,
        @Schema(description = "absent while a just-accepted job's first event has not arrived") String imageId,
        @Schema(required = true, enumeration = { "QUEUED", "PROCESSING", "SUCCEEDED", "FAILED" }) String status,
        Error error,
        JsonNode labels,
        JsonNode imageProperties,
        JsonNode faceDetails,
        JsonNode textDetections,
        @Schema(description = "DetectModerationLabels' ModerationLabels; present when the job asked for MODERATION")
        JsonNode moderationLabels,
        String modelVersion,
        String engine,
        @Schema(required = true) int attempt,
        @Schema(required = true) Instant submittedAt,
        @Schema(required = true) Instant updatedAt,
        Instant completedAt) {

    public record Error(String code, String message) {
    }
}
