package io.imagerec.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;

/** The platform's REST API as a client sees it: plain HTTP, JSON answers. */
final class Api {

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Platform platform;

    Api(Platform platform) {
        this.platform = platform;
    }

    Answer uploadMultipart(String fileName, byte[] image, Map<String, String> headers, String query)
            throws IOException, InterruptedException {
        String boundary = "----e2e" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.ingestUrl() + "/v1/images"
                + (query == null ? "" : "?" + query)))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        withKey(request, headers);
        return send(request.build());
    }

    Answer uploadRaw(byte[] image, String contentType, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.ingestUrl() + "/v1/images"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(image));
        withKey(request, headers);
        return send(request.build());
    }

    /** A JSON request to ingest-service. */
    Answer postIngest(String path, String json, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.ingestUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        withKey(request, headers);
        return send(request.build());
    }

    Answer getIngest(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.ingestUrl() + path)).GET();
        withKey(request, headers);
        return send(request.build());
    }

    Answer get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.resultsUrl() + path)).GET();
        withKey(request, headers);
        return send(request.build());
    }

    /** The headers given, and the operator's key unless they name a key of their own. */
    private void withKey(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("X-Api-Key") || h.equalsIgnoreCase("Authorization"))) {
            request.header("X-Api-Key", platform.operatorKey());
        }
    }

    /** Polls a job until it is SUCCEEDED or FAILED. */
    JsonNode awaitFinished(String jobId, Map<String, String> headers, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Answer answer = get("/v1/jobs/" + jobId, headers);
            if (answer.status() == 200) {
                last = answer.body();
                String status = last.path("status").asText();
                if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " did not finish within " + timeout + "; last seen: " + last);
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = null;
        if (response.body() != null && !response.body().isBlank()
                && response.headers().firstValue("Content-Type").orElse("").contains("json")) {
            body = Json.mapper().readTree(response.body());
        }
        return new Answer(response.statusCode(), body, response);
    }
}
