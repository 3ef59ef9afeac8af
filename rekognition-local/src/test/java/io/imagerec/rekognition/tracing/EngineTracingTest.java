package io.imagerec.rekognition.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.api.SignedRequests;
import io.imagerec.testsupport.LocalCloudResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A call that carries a traceparent (as the worker's do) is served in a child span of that trace. */
@QuarkusTest
@QuarkusTestResource(LocalCloudResource.class)
@TestProfile(TracingTestProfile.class)
class EngineTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aCallJoinsTheCallersTrace() throws Exception {
        byte[] body = "{\"MaxResults\":1}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>(SignedRequests.headers("ListCollections", body));
        headers.put("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01");
        SignedRequests.post(headers, body).then().statusCode(200);

        SpanData server = null;
        long end = System.nanoTime() + 15_000_000_000L;
        while (server == null && System.nanoTime() < end) {
            server = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(TRACE_ID))
                    .findFirst().orElse(null);
            Thread.sleep(100);
        }
        if (server == null) {
            throw new AssertionError("no server span of the caller's trace among " + spans.getFinishedSpanItems());
        }
        assertEquals(CALLER_SPAN_ID, server.getParentSpanId());
    }
}
