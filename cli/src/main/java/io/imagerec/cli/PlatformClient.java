package io.imagerec.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.Json;
import io.imagerec.contracts.Tenants;

/**
 * The platform's public API as this client uses it: {@code POST /v1/images}, the direct-upload
 * sequence ({@code POST /v1/uploads}, a PUT to the presigned URL, {@code POST .../complete}) and
 * {@code GET /v1/jobs/{id}}. Each call is retried by the {@link RetryPolicy}; what comes back is the
 * file's final answer.
 */
final class PlatformClient {

    /** A file's upload ended: accepted with a receipt, or refused. */
    sealed interface Outcome permits Accepted, Refused {
    }

    record Accepted(String jobId, String imageId, String status) implements Outcome {
    }

    /** {@code httpStatus} 0: no answer at all; {@code code} is the API's error code, or one of this client's. */
    record Refused(int httpStatus, String code, String message) implements Outcome {
    }

    /** One look at a job: its JSON when the server answered 200, or why not. */
    record JobAnswer(int httpStatus, JsonNode job, String code, String message, Optional<Duration> retryAfter) {
    }

    /** An error answer's code and message. */
    record ErrorBody(String code, String message) {
    }

    /** Waits between attempts; tests record the delays instead of sleeping. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** Headers the JDK sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");
    private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    private static final ObjectMapper JSON = Json.mapper();

    private final HttpClient http;
    private final UploadOptions options;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Duration requestTimeout;
    private final String userAgent;

    PlatformClient(HttpClient http, UploadOptions options, RetryPolicy retry, Sleeper sleeper, Clock clock,
            Duration requestTimeout) {
        this.http = http;
        this.options = options;
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
        String version = PlatformClient.class.getPackage().getImplementationVersion();
        this.userAgent = "imagerec-cli/" + (version == null ? "dev" : version);
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code POST /v1/images} with the file as the body. */
    Outcome upload(Path file, String contentType, String idempotencyKey) throws InterruptedException {
        String query = UploadOptions.query(options.queryParameters());
        URI uri = URI.create(options.endpoint() + "/v1/images" + (query.isEmpty() ? "" : "?" + query));
        Supplier<HttpRequest> request = () -> {
            try {
                return api(uri).header("Content-Type", contentType).header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofFile(file)).build();
            } catch (FileNotFoundException e) {
                throw new UnreadableFile(e);
            }
        };
        return receipt(send(request, "upload"));
    }

    /**
     * The direct upload: a presigned PUT from {@code POST /v1/uploads}, the bytes straight to S3, then
     * the completion, which answers the same receipt as {@code POST /v1/images}. A URL that expired
     * while its PUT was being retried (403, or 410 UPLOAD_EXPIRED from the completion) is asked for
     * again, twice at most. The server keeps no Idempotency-Key here: a run killed between the PUT and
     * the state file's line makes a second job for that file when it is run again.
     */
    Outcome uploadDirect(Path file, long size, String contentType) throws InterruptedException {
        for (int round = 1; ; round++) {
            ObjectNode body = JSON.createObjectNode();
            body.put("contentType", contentType);
            body.put("contentLength", size);
            if (!options.features().isEmpty()) {
                body.putArray("features").addAll(options.features().stream().map(Feature::name)
                        .map(JSON.getNodeFactory()::textNode).toList());
            }
            if (options.minConfidence() != null) {
                body.put("minConfidence", options.minConfidence());
            }
            if (options.maxLabels() != null) {
                body.put("maxLabels", options.maxLabels());
            }
            String json = write(body);
            URI uploads = URI.create(options.endpoint() + "/v1/uploads");
            Answer created = send(() -> api(uploads).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), "create upload");
            if (created.refused() != null) {
                return created.refused();
            }
            JsonNode upload = created.json();
            String url = upload == null ? "" : upload.path("url").asText("");
            String complete = upload == null ? "" : upload.path("links").path("complete").asText("");
            if (url.isEmpty() || complete.isEmpty()) {
                return new Refused(created.status(), "BAD_ANSWER", "POST /v1/uploads answered without url or links.complete: "
                        + created.body());
            }
            Answer put = send(() -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(requestTimeout);
                Iterator<Map.Entry<String, JsonNode>> headers = upload.path("headers").fields();
                while (headers.hasNext()) {
                    Map.Entry<String, JsonNode> h = headers.next();
                    if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                        b.header(h.getKey(), h.getValue().asText());
                    }
                }
                try {
                    return b.PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
                } catch (FileNotFoundException e) {
                    throw new UnreadableFile(e);
                }
            }, "presigned PUT");
            if (put.refused() != null) {
                if (put.status() == 403 && expired(upload) && round < 3) {
                    continue;
                }
                return put.refused();
            }
            URI completeUri = options.endpoint().resolve(complete);
            Answer completed = send(() -> api(completeUri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    "complete upload");
            if (completed.refused() != null && completed.status() == 410 && round < 3) {
                continue;
            }
            return receipt(completed);
        }
    }

    /** One {@code GET /v1/jobs/{id}}, not retried: the caller polls anyway. */
    JobAnswer job(String jobId) throws InterruptedException {
        HttpRequest request = api(URI.create(options.resultsEndpoint() + "/v1/jobs/" + jobId)).GET().build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            Optional<Duration> retryAfter = r.headers().firstValue("Retry-After")
                    .flatMap(v -> RetryPolicy.parseRetryAfter(v, clock.instant()));
            JsonNode body = parse(r.body());
            if (r.statusCode() == 200 && body != null) {
                return new JobAnswer(200, body, null, null, retryAfter);
            }
            ErrorBody error = error(r.statusCode(), r.body(), body);
            return new JobAnswer(r.statusCode(), null, error.code(), error.message(), retryAfter);
        } catch (IOException e) {
            return new JobAnswer(0, null, "NO_ANSWER", describe(e), Optional.empty());
        }
    }

    private HttpRequest.Builder api(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (options.tenant() != null) {
            b.header(Tenants.HEADER, options.tenant());
        }
        if (options.apiKey() != null) {
            b.header("X-Api-Key", options.apiKey());
        }
        return b;
    }

    /** A final answer: 2xx with its body, or the refusal the retries ended with. */
    private record Answer(int status, String body, JsonNode json, Refused refused) {
    }

    private static final class UnreadableFile extends RuntimeException {
        UnreadableFile(IOException cause) {
            super(cause);
        }
    }

    private Answer send(Supplier<HttpRequest> request, String what) throws InterruptedException {
        Instant started = clock.instant();
        for (int attempt = 1; ; attempt++) {
            RetryPolicy.Decision decision;
            Refused last;
            try {
                HttpResponse<String> r = http.send(request.get(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = parse(r.body());
                if (r.statusCode() / 100 == 2) {
                    return new Answer(r.statusCode(), r.body(), json, null);
                }
                ErrorBody error = error(r.statusCode(), r.body(), json);
                last = new Refused(r.statusCode(), error.code(), error.message());
                decision = retry.afterStatus(attempt, Duration.between(started, clock.instant()), r.statusCode(),
                        error.code(), r.headers().firstValue("Retry-After"), clock.instant());
            } catch (UnreadableFile e) {
                return new Answer(0, null, null, new Refused(0, "UNREADABLE", describe((IOException) e.getCause())));
            } catch (IOException e) {
                last = new Refused(0, "NO_ANSWER", what + ": " + describe(e));
                decision = retry.afterNoAnswer(attempt, Duration.between(started, clock.instant()), describe(e));
            }
            if (!decision.retry()) {
                return new Answer(last.httpStatus(), null, null, last);
            }
            sleeper.sleep(decision.delay());
        }
    }

    private static Outcome receipt(Answer answer) {
        if (answer.refused() != null) {
            return answer.refused();
        }
        JsonNode r = answer.json();
        if (r == null || !r.hasNonNull("jobId")) {
            return new Refused(answer.status(), "BAD_ANSWER", "No jobId in the answer: " + answer.body());
        }
        return new Accepted(r.get("jobId").asText(), r.path("imageId").asText(null), r.path("status").asText("QUEUED"));
    }

    /**
     * The code and message of an error answer: the API's {@code {"error": {"code", "message"}}} (a flat
     * {@code {"code", "message"}} is read too), S3's XML error, or the bare status.
     */
    static ErrorBody error(int status, String body, JsonNode json) {
        if (json != null) {
            JsonNode e = json.has("error") && json.get("error").isObject() ? json.get("error") : json;
            if (e.hasNonNull("code")) {
                return new ErrorBody(e.get("code").asText(), e.path("message").asText(""));
            }
        }
        if (body != null) {
            Matcher code = XML_CODE.matcher(body);
            if (code.find()) {
                Matcher message = XML_MESSAGE.matcher(body);
                return new ErrorBody(code.group(1), message.find() ? message.group(1) : "");
            }
        }
        return new ErrorBody("HTTP_" + status, body == null ? "" : abbreviate(body));
    }

    private boolean expired(JsonNode upload) {
        try {
            Instant expiresAt = Instant.parse(upload.path("expiresAt").asText());
            return !clock.instant().isBefore(expiresAt.minusSeconds(5));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
