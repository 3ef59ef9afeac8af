package io.imagerec.ingest.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.imagerec.ingest.service.IngestException;

/**
 * A Content-Type that does not parse is 415 UNSUPPORTED_MEDIA_TYPE before the request is matched to a
 * method (Quarkus REST would fail the matching with an IllegalArgumentException, a 500).
 */
public class ContentTypeFilter {

    @ServerRequestFilter(preMatching = true)
    public void parseable(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        try {
            MediaType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new IngestException(415, "UNSUPPORTED_MEDIA_TYPE", "The Content-Type does not parse");
        }
    }
}
