package io.imagerec.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook consumer on loopback: records every request it gets, and answers each path as its script
 * says (a status, or a stall longer than the sender's read timeout), then 200 once the script is spent.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** What to do with a request: answer a status, or stall for a while and then answer it. */
    public record Step(int status, long stallMillis) {
        public static Step answer(int status) {
            return new Step(status, 0);
        }

        public static Step stall(long millis) {
            return new Step(200, millis);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<Step>> scripts = new ConcurrentHashMap<>();
    private volatile Function<String, Integer> otherwise = path -> 200;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL of a path on this receiver, by IP (127.0.0.1). */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public WebhookReceiver script(String path, Step... steps) {
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(steps));
        return this;
    }

    /** The answer once a path's script is spent (200 unless set). */
    public WebhookReceiver otherwise(Function<String, Integer> status) {
        this.otherwise = status;
        return this;
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(path, headers, body));
        Step step = scripts.getOrDefault(path, new ConcurrentLinkedQueue<>()).poll();
        int status = step != null ? step.status() : otherwise.apply(path);
        if (step != null && step.stallMillis() > 0) {
            try {
                Thread.sleep(step.stallMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            exchange.sendResponseHeaders(status, -1);
        } catch (IOException e) {
            // the sender gave up waiting and closed the connection
        }
        exchange.close();
    }

    /**
     * The README's Java recipe for a consumer: HMAC-SHA256 of {@code <timestamp>.<body>} with the secret,
     * compared in constant time, and a timestamp at most five minutes old.
     */
    public static boolean verifies(String secret, Received r) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String timestamp = r.header("X-Imagerec-Timestamp");
            String expected = "v1=" + java.util.HexFormat.of().formatHex(
                    mac.doFinal((timestamp + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
            long age = Math.abs(java.time.Instant.now().getEpochSecond() - Long.parseLong(timestamp));
            String signature = r.header("X-Imagerec-Signature");
            return signature != null && age < 300 && java.security.MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException | NumberFormatException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
