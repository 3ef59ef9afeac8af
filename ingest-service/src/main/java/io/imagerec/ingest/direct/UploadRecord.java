package io.imagerec.ingest.direct;

import java.time.Instant;

import io.imagerec.ingest.service.JobOptions;
import io.imagerec.ingest.service.UploadReceipt;

/**
 * What ingest remembers of a direct upload, in S3 under {@code uploads/<tenant>/<uploadId>}: written
 * when the presigned URL is handed out, COMPLETED once the job is on the queue.
 *
 * @param key where the client PUTs the image ({@code direct/<tenant>/<imageId>})
 */
public record UploadRecord(String state, String tenant, String key, String contentType, long contentLength,
        JobOptions options, UploadReceipt receipt, Instant createdAt, Instant expiresAt) {

    public static final String PENDING = "PENDING";
    public static final String COMPLETED = "COMPLETED";

    boolean completed() {
        return COMPLETED.equals(state);
    }

    UploadRecord complete() {
        return new UploadRecord(COMPLETED, tenant, key, contentType, contentLength, options, receipt, createdAt,
                expiresAt);
    }
}
