package io.imagerec.ingest.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.imagerec.ingest.service.IngestException;
import io.imagerec.ingest.service.IngestService;

/**
 * Refuses an upload whose declared length is over the limit before its body is read, so a flood of
 * large bodies costs no memory; bodies without a length are cut off by the HTTP layer's own limit.
 */
public class SizeLimitFilter {

    /** Multipart adds a little framing around the image. */
    private static final long MULTIPART_ALLOWANCE = 64 * 1024;

    private final IngestService ingest;

    public SizeLimitFilter(IngestService ingest) {
        this.ingest = ingest;
    }

    @ServerRequestFilter(preMatching = true)
    public void declaredLength(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !"POST".equals(request.getMethod())) {
            return;
        }
        try {
            ingest.checkSize(Long.parseLong(length.trim()) - MULTIPART_ALLOWANCE);
        } catch (NumberFormatException e) {
            throw new IngestException(400, "BAD_REQUEST", "Content-Length is not a number");
        }
    }
}
