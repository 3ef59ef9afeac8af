package io.imagerec.rekognition.api;

import java.io.IOException;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;

/**
 * The AWS JSON 1.1 endpoint: {@code POST /} with {@code X-Amz-Target: RekognitionService.<Operation>}.
 * Maps HTTP to an operation and back; the operations do the work.
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
    public Response handle(@HeaderParam("X-Amz-Target") String target, HttpHeaders headers, byte[] body) {
        String name = target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
        RekognitionOperation operation = name == null ? null : operations.get(name);
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "error";
        try {
            if (operation == null) {
                throw RekognitionException.unknownOperation(target);
            }
            signatures.verify(headers, body);
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

    private JsonNode parse(byte[] body) {
        try {
            JsonNode request = body == null || body.length == 0 ? json.createObjectNode() : json.readTree(body);
            if (request == null || !request.isObject()) {
                throw new RekognitionException("SerializationException", 400, "The request body must be a JSON object");
            }
            return request;
        } catch (IOException e) {
            throw new RekognitionException("SerializationException", 400, "The request body is not valid JSON");
        }
    }
}
