package io.imagerec.ingest.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.ApiError;
import io.imagerec.ingest.config.IngestConfig;
import io.imagerec.ingest.service.IngestException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a POST whose declared length is over what an upload may be before its body is read, ahead of
 * Quarkus's own body-size check (which would answer a bare 413): 413 IMAGE_TOO_LARGE in the one error
 * format, and the connection closed, so a flood of large bodies costs no memory. A body without a length
 * (chunked) is cut off by the HTTP layer at {@code quarkus.http.limits.max-body-size} with a bare 413.
 */
@ApplicationScoped
public class UploadSizeGuard {

    /** Multipart adds a little framing around the image. */
    static final long MULTIPART_ALLOWANCE = 64 * 1024;
    /** Before Quarkus's upload-limit handler. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    private final IngestConfig config;
    private final ObjectMapper json;

    public UploadSizeGuard(IngestConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !HttpMethod.POST.equals(request.method())) {
            rc.next();
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            rc.next(); // never here: the HTTP codec answers 400 to a Content-Length that is not a number
            return;
        }
        if (declared - MULTIPART_ALLOWANCE > config.maxImageBytes()) {
            refuse(rc, new IngestException(413, "IMAGE_TOO_LARGE", "The request declares " + declared
                    + " bytes; an image may have at most " + config.maxImageBytes()));
            return;
        }
        rc.next();
    }

    private void refuse(RoutingContext rc, IngestException e) {
        HttpServerRequest request = rc.request();
        ErrorMapper.REFUSED.log(request.method().name(), request.path(), e.status(), e.code(), e.getMessage());
        byte[] body;
        try {
            body = json.writeValueAsBytes(ApiError.of(e.code(), e.getMessage()));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        // The body is not read: the connection cannot carry another request after this answer.
        rc.response().setStatusCode(e.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(body))
                .onComplete(done -> request.connection().close());
    }
}
