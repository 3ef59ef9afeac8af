package io.imagerec.rekognition.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What is checked of an API request before its body is read, on the event loop, ahead of Quarkus's own
 * body-size handler: the SigV4 headers (present, well-formed, inside the clock-skew window, a key id
 * that may be accepted), a known operation, a declared Content-Length within the operation's limit
 * ({@link RequestLimits}), and a free admission slot ({@link RequestGate}). A refused request gets
 * Rekognition's error at once and its body is never buffered: a body that comes chunked, that was
 * declared over {@link #DRAINED_BYTES}, or whose client waits for {@code 100 Continue} (which a refused
 * request never gets) is not read at all: the connection is closed after the answer. Only a small
 * declared body is read and dropped, so that the connection stays usable.
 *
 * <p>An admitted body is read by Quarkus REST: a chunked one (no Content-Length) is cut off by Quarkus
 * at {@code quarkus.http.limits.max-body-size} with a bare 413, to which this filter adds Rekognition's
 * {@code x-amzn-ErrorType: ImageTooLargeException} so SDKs report it as such; one under that but over
 * its operation's limit is refused once read ({@link RekognitionResource}). The signature itself
 * covers the body, so it is checked once the body is in.
 */
@ApplicationScoped
public class AdmissionFilter {

    /** Before Quarkus's upload-limit handler, which would answer a bare 413. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;
    /**
     * A refused request's declared body up to this size is read and dropped to keep the connection; a
     * larger one is not read (an overloaded engine should not spend its network on bodies it refused).
     */
    static final long DRAINED_BYTES = 64 * 1024;

    private final SignatureVerifier signatures;
    private final RequestGate gate;
    private final MeterRegistry metrics;
    private final Set<String> operations = new HashSet<>();

    public AdmissionFilter(SignatureVerifier signatures, RequestGate gate, MeterRegistry metrics,
            Instance<RekognitionOperation> all) {
        this.signatures = signatures;
        this.gate = gate;
        this.metrics = metrics;
        all.forEach(op -> operations.add(op.name()));
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::filter);
    }

    void filter(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (!HttpMethod.POST.equals(request.method())) {
            rc.next();
            return;
        }
        long start = System.nanoTime();
        String target = request.getHeader("X-Amz-Target");
        String operation = RekognitionResource.operationName(target);
        boolean known = operation != null && operations.contains(operation);
        Long declared = contentLength(request);
        boolean small = declared != null && declared <= DRAINED_BYTES
                && !"100-continue".equalsIgnoreCase(request.getHeader("Expect"));
        try {
            signatures.checkHeaders(request::getHeader);
            if (!known) {
                throw RekognitionException.unknownOperation(target);
            }
            if (declared != null && declared > RequestLimits.maxBodyBytes(operation)) {
                throw RequestLimits.tooLarge(operation, declared);
            }
            gate.admit();
        } catch (RekognitionException e) {
            refuse(rc, known ? operation : "unknown", start, e, !small);
            return;
        }
        rc.addEndHandler(done -> {
            gate.release();
            if ("close".equalsIgnoreCase(rc.response().headers().get("Connection")) && !request.isEnded()) {
                // Answered before the body was all in (over the operation's limit): the rest is not read.
                request.connection().close();
            }
        });
        rc.addHeadersEndHandler(done -> {
            var response = rc.response();
            if (response.getStatusCode() == 413 && !response.headers().contains("x-amzn-ErrorType")) {
                // Quarkus cut a chunked body off at quarkus.http.limits.max-body-size.
                response.putHeader("x-amzn-ErrorType", "ImageTooLargeException")
                        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString());
                ApiErrors.log(target, RekognitionException.imageTooLarge("Request body (chunked) is larger than "
                        + "quarkus.http.limits.max-body-size"));
            }
        });
        rc.next();
    }

    /** The declared body length; null when there is none (chunked) or it is not a number. */
    private static Long contentLength(HttpServerRequest request) {
        String value = request.getHeader("Content-Length");
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void refuse(RoutingContext rc, String operation, long start, RekognitionException e, boolean close) {
        ApiErrors.log(rc.request().getHeader("X-Amz-Target"), e);
        metrics.timer("rekognition.requests", List.of(Tag.of("operation", operation), Tag.of("outcome", e.type())))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        HttpServerRequest request = rc.request();
        var response = rc.response()
                .setStatusCode(e.status())
                .putHeader("Content-Type", RekognitionResource.AMZ_JSON)
                .putHeader("x-amzn-ErrorType", e.type())
                .putHeader("x-amzn-RequestId", UUID.randomUUID().toString());
        if (close && !request.isEnded()) {
            response.putHeader("Connection", "close");
            response.end(Buffer.buffer(ApiErrors.body(e))).onComplete(done -> request.connection().close());
            return;
        }
        if (!request.isEnded()) {
            // A small declared body: read and dropped, never kept, so the next request can follow.
            request.handler(chunk -> { });
            request.resume();
        }
        response.end(Buffer.buffer(ApiErrors.body(e)));
    }
}
