package io.imagerec.rekognition.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The AWS JSON 1.1 endpoint: {@code POST /} with {@code X-Amz-Target: RekognitionService.<Operation>}.
 * Maps HTTP to an operation and back; the operations do the work. {@link AdmissionFilter} has already
 * checked the headers, the declared size and admission before the body was read; here the signature
 * is verified over the body, then the quota, then the operation runs.
 */
@Path("/")
public class RekognitionResource {

    public static final String AMZ_JSON = "application/x-amz-json-1.1";
    /** Tells clients (the worker records it) that the answer came from this engine, not from AWS. */
    public static final String ENGINE_HEADER = "x-rekognition-engine";
    private static final String TARGET_PREFIX = "RekognitionService.";

    private final Map<String, RekognitionOperation> operations = new HashMap<>();
    private final ObjectMapper json;
    private final RequestGate gate;
    private final SignatureVerifier signatures;
    private final CallQuota quota;
    private final MeterRegistry metrics;

    public RekognitionResource(Instance<RekognitionOperation> all, ObjectMapper json, RequestGate gate,
            SignatureVerifier signatures, CallQuota quota, MeterRegistry metrics) {
        all.forEach(op -> operations.put(op.name(), op));
        this.json = json;
        this.gate = gate;
        this.signatures = signatures;
        this.quota = quota;
        this.metrics = metrics;
    }

    @POST
    @Consumes("*/*")
    @Produces(AMZ_JSON)
    public Response handle(@HeaderParam("X-Amz-Target") String target, @Context HttpServerRequest http,
            InputStream stream) {
        String name = operationName(target);
        RekognitionOperation operation = name == null ? null : operations.get(name);
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "error";
        try {
            if (operation == null) {
                throw RekognitionException.unknownOperation(target);
            }
            byte[] body = read(stream, name, http.getHeader("Content-Length"));
            signatures.verify(http.method().name(), http.path(), http.query(), n -> http.headers().getAll(n), body);
            // After authentication, before any work: a refused call costs the engine nothing.
            quota.admit();
            JsonNode request = parse(body);
            Object result = gate.run(() -> operation.handle(request));
            outcome = "success";
            return Response.ok(json.writeValueAsBytes(result), AMZ_JSON)
                    .header("x-amzn-RequestId", UUID.randomUUID().toString())
                    .header(ENGINE_HEADER, "rekognition-local").build();
        } catch (RekognitionException e) {
            outcome = e.type();
            throw e;
        } catch (IOException e) {
            throw RekognitionException.internal("Could not write the response: " + e.getMessage());
        } finally {
            sample.stop(metrics.timer("rekognition.requests", List.of(
                    Tag.of("operation", operation == null ? "unknown" : name), Tag.of("outcome", outcome))));
        }
    }

    /**
     * The body, read up to the operation's limit: a declared Content-Length over it was refused before
     * (AdmissionFilter), and a chunked body is refused here once it passes it, before the rest is read.
     */
    private static byte[] read(InputStream in, String operation, String declared) {
        long limit = RequestLimits.maxBodyBytes(operation);
        int expected = 8192;
        try {
            expected = (int) Math.min(limit, Math.max(0, Long.parseLong(declared == null ? "8192" : declared.trim())));
        } catch (NumberFormatException e) {
            // Vert.x refuses a malformed Content-Length before the request gets here
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(expected);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
                if (total > limit) {
                    throw RequestLimits.tooLarge(operation, total).leavingBodyUnread();
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The client went away or was too slow (quarkus.http.read-timeout): its fault, not the engine's.
            throw RekognitionException.serialization("The request body could not be read: " + LogText.clean(e.getMessage()));
        }
        return out.toByteArray();
    }

    /** The operation an {@code X-Amz-Target} names, or null when it is not a Rekognition target. */
    static String operationName(String target) {
        return target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode request = body == null || body.length == 0 ? json.createObjectNode() : json.readTree(body);
            if (request == null || !request.isObject()) {
                throw RekognitionException.serialization("The request body must be a JSON object");
            }
            return request;
        } catch (IOException e) {
            throw RekognitionException.serialization("The request body is not valid JSON");
        }
    }
}
