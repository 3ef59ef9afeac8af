package io.imagerec.ingest.service;

import java.nio.ByteBuffer;

/**
 * One upload as the REST layer hands it over.
 *
 * @param body the image, read-only and not copied (the request's own buffer)
 * @param idempotencyKey the client's Idempotency-Key, or null
 */
public record UploadRequest(
        String tenant,
        ByteBuffer body,
        JobOptions options,
        String idempotencyKey) {
}
