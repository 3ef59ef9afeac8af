package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.imagerec.testsupport.GeneratedImages;

/**
 * One upload is one trace across every process: the packaged services export their spans over
 * OTLP/HTTP to a receiver in this JVM, and the spans of ingest, the worker, the engine and results
 * all carry the trace id the client started (its {@code traceparent} on the upload).
 */
class TracingIT {

    private static final List<String> SERVICES = List.of(Platform.INGEST, Platform.WORKER, Platform.ENGINE,
            Platform.RESULTS);

    /** The spans' export requests as they arrived (protobuf bodies, uncompressed). */
    private static final List<byte[]> EXPORTS = new CopyOnWriteArrayList<>();
    private static final HttpServer RECEIVER = receiver();

    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("tracing", platform -> {
        for (String service : SERVICES) {
            platform.configure(service, "quarkus.otel.sdk.disabled=false",
                    "quarkus.otel.exporter.otlp.traces.protocol=http/protobuf",
                    "quarkus.otel.exporter.otlp.traces.endpoint=http://localhost:" + RECEIVER.getAddress().getPort(),
                    "quarkus.otel.exporter.otlp.traces.compression=none",
                    "quarkus.otel.bsp.schedule.delay=200ms");
        }
    });

    private static HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    EXPORTS.add(body.readAllBytes());
                }
                // An empty ExportTraceServiceResponse.
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop(0);
    }

    @Test
    void oneUploadIsOneTraceAcrossIngestWorkerEngineAndResults() throws Exception {
        byte[] traceId = new byte[16];
        ThreadLocalRandom.current().nextBytes(traceId);
        traceId[0] |= 1;
        String traceparent = "00-" + HexFormat.of().formatHex(traceId) + "-00f067aa0ba902b7-01";

        Api.Answer answer = RUNNING.api().uploadRaw(GeneratedImages.jpeg(320, 240), "image/jpeg",
                Map.of("traceparent", traceparent));
        assertEquals(202, answer.status(), answer.raw().body());
        String jobId = answer.body().path("jobId").asText();
        JsonNode job = RUNNING.api().awaitFinished(jobId, Map.of(), Duration.ofSeconds(120));
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());

        Set<String> seen = new TreeSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.size() < SERVICES.size() && System.nanoTime() < deadline) {
            seen.clear();
            for (byte[] export : EXPORTS) {
                if (contains(export, traceId)) {
                    for (String service : SERVICES) {
                        // One export request holds one service's resource, named by service.name.
                        if (contains(export, service.getBytes(StandardCharsets.UTF_8))) {
                            seen.add(service);
                        }
                    }
                }
            }
            Thread.sleep(250);
        }
        assertEquals(new TreeSet<>(SERVICES), seen, "services whose spans carry the upload's trace id ("
                + EXPORTS.size() + " exports received)");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
