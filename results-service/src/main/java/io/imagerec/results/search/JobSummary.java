package io.imagerec.results.search;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job as a search lists it: its status and times, its face count and its labels. */
@Schema(name = "JobSummary", description = "A job as GET /v1/jobs lists it")
public record JobSummary(
        @Schema(required = true) String jobId,
        @Schema(required = true) String imageId,
        @Schema(required = true, enumeration = { "QUEUED", "PROCESSING", "SUCCEEDED", "FAILED" }) String status,
        @Schema(required = true) Instant submittedAt,
        @Schema(required = true, nullable = true, description = "null until the job SUCCEEDED or FAILED")
        @JsonInclude(JsonInclude.Include.ALWAYS) Instant completedAt,
        @Schema(required = true, nullable = true, description = "faces DetectFaces found; null when FACES was not asked for")
        @JsonInclude(JsonInclude.Include.ALWAYS) Integer faceCount,
        @Schema(required = true, description = "the job's labels, highest confidence first") List<LabelScore> labels) {

    /** A label of a job and its confidence (0-100). */
    @Schema(name = "LabelScore")
    public record LabelScore(@Schema(required = true) String name, @Schema(required = true) float confidence) {
    }
}
