package io.imagerec.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.imagerec.contracts.Json;

/**
 * A real HTTP server in the test JVM that answers the platform's contract the way ingest-service and
 * results-service do (the same Idempotency-Key gets the same receipt; a direct upload's completion
 * needs its PUT first; the error body is {"error": {"code", "message"}}), and records every request.
 * Answers can be scripted ahead with {@link #failNext}. The packaged services themselves are tested
 * with the CLI in e2e-tests' CliIT.
 */
final class StubPlatform implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String route() {
            return method + " " + path;
        }
    }

    private record Scripted(int status, String retryAfter, String body) {
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Scripted>> script = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> receiptsByKey = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> uploads = new ConcurrentHashMap<>();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> completed = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Polls answered QUEUED before a job is SUCCEEDED. */
    volatile int pollsBeforeDone = 1;

    StubPlatform() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request whose "METHOD /path" starts with {@code route} gets this answer instead. */
    void failNext(String route, int status, String retryAfter, String code) {
        String body = code == null ? null : "{\"error\":{\"code\":\"" + code + "\",\"message\":\"scripted\"}}";
        script.computeIfAbsent(route, k -> new ArrayDeque<>()).add(new Scripted(status, retryAfter, body));
    }

    long count(String routePrefix) {
        return requests.stream().filter(r -> r.route().startsWith(routePrefix)).count();
    }

    List<Request> all(String routePrefix) {
        return requests.stream().filter(r -> r.route().startsWith(routePrefix)).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        Request r = new Request(x.getRequestMethod(), x.getRequestURI().getPath(), x.getRequestURI().getRawQuery(),
                Map.copyOf(x.getRequestHeaders()), body);
        requests.add(r);
        for (Map.Entry<String, Deque<Scripted>> e : script.entrySet()) {
            if (r.route().startsWith(e.getKey())) {
                Scripted s;
                synchronized (e.getValue()) {
                    s = e.getValue().poll();
                }
                if (s != null) {
                    if (s.retryAfter() != null) {
                        x.getResponseHeaders().add("Retry-After", s.retryAfter());
                    }
                    send(x, s.status(), s.body());
                    return;
                }
            }
        }
        try {
            route(x, r);
        } catch (RuntimeException e) {
            send(x, 500, error("INTERNAL_ERROR", String.valueOf(e)));
        }
    }

    private void route(HttpExchange x, Request r) throws IOException {
        String path = r.path();
        if (r.route().equals("POST /v1/images")) {
            if (ImageBytes.type(r.body()) == null) {
                send(x, 415, error("UNSUPPORTED_IMAGE_TYPE", "not a JPEG or PNG"));
                return;
            }
            String key = r.header("Idempotency-Key");
            ObjectNode receipt = key == null ? receipt() : receiptsByKey.computeIfAbsent(key, k -> receipt());
            x.getResponseHeaders().add("Location", receipt.path("links").path("job").asText());
            send(x, 202, receipt.toString());
        } else if (r.route().equals("POST /v1/uploads")) {
            JsonNode request = Json.mapper().readTree(r.body());
            String id = "up-" + ids.incrementAndGet();
            ObjectNode receipt = receipt();
            ObjectNode answer = Json.mapper().createObjectNode();
            answer.put("uploadId", id).put("jobId", receipt.get("jobId").asText())
                    .put("imageId", receipt.get("imageId").asText()).put("method", "PUT")
                    .put("url", url() + "/bucket/direct/" + id + "?X-Amz-Signature=abc");
            answer.putObject("headers").put("Content-Type", request.path("contentType").asText());
            answer.put("expiresAt", "2999-01-01T00:00:00Z");
            answer.putObject("links").put("complete", url() + "/v1/uploads/" + id + "/complete")
                    .put("job", receipt.path("links").path("job").asText());
            uploads.put(id, Json.mapper().createObjectNode().setAll(Map.of("request", request, "receipt", receipt)));
            send(x, 201, answer.toString());
        } else if (r.method().equals("PUT") && path.startsWith("/bucket/direct/")) {
            String id = path.substring("/bucket/direct/".length());
            JsonNode upload = uploads.get(id);
            long declared = upload.path("request").path("contentLength").asLong();
            String type = upload.path("request").path("contentType").asText();
            if (declared != r.body().length || !type.equals(r.header("Content-Type"))) {
                send(x, 403, "<Error><Code>SignatureDoesNotMatch</Code><Message>length or type</Message></Error>");
                return;
            }
            objects.put(id, r.body());
            send(x, 200, null);
        } else if (r.method().equals("POST") && path.startsWith("/v1/uploads/") && path.endsWith("/complete")) {
            String id = path.substring("/v1/uploads/".length(), path.length() - "/complete".length());
            if (!uploads.containsKey(id)) {
                send(x, 404, error("UPLOAD_NOT_FOUND", "No such upload"));
            } else if (!objects.containsKey(id)) {
                send(x, 409, error("UPLOAD_NOT_RECEIVED", "PUT the image first"));
            } else {
                ObjectNode receipt = completed.computeIfAbsent(id, k -> (ObjectNode) uploads.get(id).get("receipt"));
                send(x, 202, receipt.toString());
            }
        } else if (r.method().equals("GET") && path.startsWith("/v1/jobs/")) {
            String jobId = path.substring("/v1/jobs/".length());
            int n = polls.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
            ObjectNode job = Json.mapper().createObjectNode().put("jobId", jobId)
                    .put("status", n > pollsBeforeDone ? "SUCCEEDED" : "QUEUED");
            if (n > pollsBeforeDone) {
                job.putArray("labels");
            }
            send(x, 200, job.toString());
        } else {
            send(x, 404, error("NOT_FOUND", "No such resource"));
        }
    }

    private ObjectNode receipt() {
        int n = ids.incrementAndGet();
        ObjectNode receipt = Json.mapper().createObjectNode().put("jobId", "job-" + n).put("imageId", "img-" + n)
                .put("status", "QUEUED");
        receipt.putObject("links").put("job", url() + "/v1/jobs/job-" + n).put("image", url() + "/v1/images/img-" + n);
        return receipt;
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}}";
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            x.getResponseHeaders().add("Content-Type", body.startsWith("<") ? "application/xml" : "application/json");
        }
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
