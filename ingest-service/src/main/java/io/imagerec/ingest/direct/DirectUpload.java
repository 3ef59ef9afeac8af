package io.imagerec.ingest.direct;

import java.time.Instant;
import java.util.Map;

/**
 * The answer to {@code POST /v1/uploads}: PUT the image to {@code url} with exactly {@code headers}
 * (and a Content-Length of the declared size) before {@code expiresAt}, then POST
 * {@code links.complete}.
 */
public record DirectUpload(String uploadId, String jobId, String imageId, String method, String url,
        Map<String, String> headers, Instant expiresAt, Map<String, String> links) {
}
