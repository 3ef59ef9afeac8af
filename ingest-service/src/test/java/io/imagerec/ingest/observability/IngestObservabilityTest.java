package io.imagerec.ingest.observability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.ingest.Queues;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.OperatorKey;
import io.imagerec.testsupport.PrometheusScrape;
import io.imagerec.testsupport.TestCloud;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * An upload's job carries the upload request's trace context, and the upload shows in the metrics.
 */
@QuarkusTest
@TestProfile(TracingTestProfile.class)
class IngestObservabilityTest {

    @Inject
    InMemorySpanExporter spans;

    private TestCloud cloud;

    @BeforeEach
    void setUp() {
        cloud = LocalCloudResource.cloud();
        OperatorKey.use();
        cloud.purge(TestCloud.JOBS_QUEUE, TestCloud.RESULTS_QUEUE);
        spans.reset();
    }

    private static int management() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    @Test
    void theJobCarriesTheTraceOfTheUploadRequest() throws Exception {
        Response answer = given().contentType("image/jpeg").body(GeneratedImages.jpeg(64, 48))
                .header("X-Tenant-Id", "acme").post("/v1/images");
        answer.then().statusCode(202);
        String jobId = answer.jsonPath().getString("jobId");

        List<JsonNode> jobs = Queues.drain(cloud, TestCloud.JOBS_QUEUE);
        assertEquals(1, jobs.size());
        String traceparent = jobs.get(0).path("traceContext").path("traceparent").asText();
        assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), "traceparent: " + traceparent);
        String traceId = traceparent.split("-")[1];

        SpanData request = awaitSpan(jobId);
        assertEquals(SpanKind.SERVER, request.getKind());
        assertEquals(traceId, request.getTraceId());
        assertEquals("acme", request.getAttributes().get(AttributeKey.stringKey("imagerec.tenant")));
        // The QUEUED event carries the same trace to results-service.
        List<JsonNode> events = Queues.drain(cloud, TestCloud.RESULTS_QUEUE);
        assertEquals(traceId, events.get(0).path("traceContext").path("traceparent").asText().split("-")[1]);
    }

    @Test
    void uploadsAndTheirSizesAreCounted() {
        PrometheusScrape before = PrometheusScrape.of(management());
        byte[] image = GeneratedImages.jpeg(80, 60);
        given().contentType("image/jpeg").body(image).header("X-Tenant-Id", "acme").post("/v1/images")
                .then().statusCode(202);
        given().contentType("image/jpeg").body(new byte[0]).header("X-Tenant-Id", "acme").post("/v1/images")
                .then().statusCode(400);
        PrometheusScrape after = PrometheusScrape.of(management());

        Map<String, String> accepted = Map.of("result", "accepted");
        assertEquals(1.0, after.value("ingest_uploads_total", accepted) - before.value("ingest_uploads_total", accepted),
                after.text());
        Map<String, String> empty = Map.of("result", "EMPTY_IMAGE");
        assertEquals(1.0, after.value("ingest_uploads_total", empty) - before.value("ingest_uploads_total", empty));
        assertEquals(1.0, after.value("ingest_upload_size_bytes_count") - before.value("ingest_upload_size_bytes_count"));
        assertEquals(image.length, after.value("ingest_upload_size_bytes_sum") - before.value("ingest_upload_size_bytes_sum"),
                0.5);
        assertTrue(after.has("ingest_upload_size_bytes_bucket"), "a histogram, for quantiles in Grafana");
    }

    private SpanData awaitSpan(String jobId) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < end) {
            for (SpanData span : spans.getFinishedSpanItems()) {
                if (jobId.equals(span.getAttributes().get(AttributeKey.stringKey("imagerec.job.id")))) {
                    return span;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no span names job " + jobId + ": " + spans.getFinishedSpanItems());
    }
}
