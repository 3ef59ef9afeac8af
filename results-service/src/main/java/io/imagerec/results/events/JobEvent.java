package io.imagerec.results.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One stored change of a job, as a live event's {@code data} shows it. The tenant decides who may see
 * it and is not part of it.
 */
@JsonPropertyOrder({ "eventId", "type", "jobId", "imageId", "status", "occurredAt" })
public record JobEvent(@JsonIgnore String tenant, long eventId, String type, String jobId, String imageId, String status,
        Instant occurredAt) {

    /** job.succeeded and job.failed: nothing follows them. */
    @JsonIgnore
    public boolean isTerminal() {
        return "SUCCEEDED".equals(status) || "FAILED".equals(status);
    }
}
