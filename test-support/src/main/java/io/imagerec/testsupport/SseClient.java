package io.imagerec.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;

/**
 * A server-sent events client over a real HTTP connection (java.net.http): reads the stream line by line
 * on its own thread and parses events as the SSE specification does; closing it closes the connection.
 */
public final class SseClient implements AutoCloseable {

    /** One event: its id, type, the JSON of its data, and the raw lines it came in. */
    public record Event(String id, String type, JsonNode data, List<String> lines) {
        public long eventId() {
            return Long.parseLong(id);
        }
    }

    private static final String END = "\u0000end";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> comments = new ArrayList<>();
    private final Thread reader;
    private boolean ended;
    /** The server ended the response (not a broken connection). */
    private volatile boolean endedCleanly;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        this.reader.setDaemon(true);
        if (response.statusCode() == 200) { // else the body is an error, read by errorBody()
            this.reader.start();
        }
    }

    /** Connects and waits for the answer's status and headers. */
    public static SseClient open(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The body of a refused request (not a stream). */
    public JsonNode errorBody() throws IOException {
        try (InputStream in = response.body()) {
            return Json.mapper().readTree(in.readAllBytes());
        }
    }

    /** The next event; fails when none comes within {@code timeout} or the stream ends. */
    public Event next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String id = null;
        String type = null;
        StringBuilder data = null;
        List<String> raw = new ArrayList<>();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no event within " + timeout);
            }
            if (line.equals(END)) {
                ended = true;
                throw new AssertionError("the stream ended instead of sending an event");
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(id, type, parse(data.toString()), raw);
                }
                raw.clear(); // a block of comments only (keep-alive)
                continue;
            }
            raw.add(line);
            if (line.startsWith(":")) {
                synchronized (comments) {
                    comments.add(line);
                }
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> type = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
        }
    }

    /** Whether no event arrives within {@code wait} (comments may). */
    public boolean quietFor(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return true;
            }
            if (line.equals(END)) {
                lines.add(END);
                return true;
            }
            if (line.startsWith(":")) {
                synchronized (comments) {
                    comments.add(line);
                }
            } else if (!line.isEmpty()) {
                throw new AssertionError("an unexpected line: " + line);
            }
        }
    }

    /** Waits for the server to end the stream; fails if an event comes first. */
    public void awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the stream did not end within " + timeout);
            }
            if (line.equals(END)) {
                ended = true;
            } else if (!line.isEmpty() && !line.startsWith(":")) {
                throw new AssertionError("an event line before the end: " + line);
            }
        }
    }

    /** Whether the server ended the response properly (rather than the connection breaking). */
    public boolean endedCleanly() {
        return endedCleanly;
    }

    public List<String> comments() {
        synchronized (comments) {
            return List.copyOf(comments);
        }
    }

    /** Disconnects, as a client that goes away. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        reader.interrupt();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
            endedCleanly = true;
        } catch (IOException e) {
            // closed by the client, or the connection broke: the end either way
        }
        lines.add(END);
    }

    private static JsonNode parse(String data) {
        try {
            return Json.mapper().readTree(data);
        } catch (IOException e) {
            throw new AssertionError("data is not JSON: " + data, e);
        }
    }
}
