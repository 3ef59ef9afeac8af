package io.imagerec.worker.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Json;
import io.imagerec.contracts.RecognitionJob;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.PrometheusScrape;
import io.imagerec.testsupport.TestCloud;
import io.imagerec.worker.ResultsQueue;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A job runs in a child span of the trace it carries, its Rekognition calls are client spans of that
 * span, its result carries the trace on; and the worker's metrics move with real jobs.
 */
@QuarkusTest
@TestProfile(TracingTestProfile.class)
class WorkerObservabilityTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    InMemorySpanExporter spans;

    private TestCloud cloud;

    @BeforeEach
    void needsTheEngine() {
        cloud = LocalCloudResource.cloud();
        Assumptions.assumeTrue(cloud.engineAvailable(), "rekognition-local is not packaged: ./mvnw verify runs this");
    }

    private static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return HexFormat.of().formatHex(b);
    }

    private RecognitionJob send(String key, Map<String, String> trace, Feature... features) throws Exception {
        String jobId = UUID.randomUUID().toString();
        RecognitionJob job = new RecognitionJob(RecognitionJob.SCHEMA, jobId, "img-" + jobId, "acme", TestCloud.BUCKET,
                key, List.of(features), null, null, Instant.now(), trace);
        String body = Json.mapper().writeValueAsString(job);
        cloud.sqsClient().sendMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.JOBS_QUEUE)).messageBody(body));
        return job;
    }

    private String store(byte[] image) {
        String key = "images/acme/" + UUID.randomUUID();
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key(key), RequestBody.fromBytes(image));
        return key;
    }

    @Test
    void theJobRunsInAChildSpanOfItsTraceAndTheResultCarriesItOn() throws Exception {
        String traceId = hex(16);
        String uploadSpanId = hex(8);
        RecognitionJob job = send(store(GeneratedImages.jpeg(200, 150)),
                Map.of("traceparent", "00-" + traceId + "-" + uploadSpanId + "-01"), Feature.IMAGE_PROPERTIES);

        RecognitionResult result = ResultsQueue.awaitFinal(job.jobId(), PATIENCE).result();
        assertEquals(JobStatus.SUCCEEDED, result.status());

        SpanData processing = await(s -> job.jobId().equals(s.getAttributes().get(AttributeKey.stringKey("imagerec.job.id"))));
        assertEquals(traceId, processing.getTraceId());
        assertEquals(uploadSpanId, processing.getParentSpanId());
        assertEquals(SpanKind.CONSUMER, processing.getKind());
        assertEquals("acme", processing.getAttributes().get(AttributeKey.stringKey("imagerec.tenant")));

        SpanData call = await(s -> s.getKind() == SpanKind.CLIENT && s.getName().equals("Rekognition.DetectLabels")
                && s.getParentSpanId().equals(processing.getSpanId()));
        assertEquals(traceId, call.getTraceId());

        String carried = result.traceContext().get("traceparent");
        assertEquals(traceId, carried.split("-")[1], "the result continues the trace");
        assertEquals(processing.getSpanId(), carried.split("-")[2], "as a child of the job's span");
    }

    @Test
    void featureLatencyErrorsAndQueueDepthsAreMetrics() throws Exception {
        PrometheusScrape before = PrometheusScrape.of(port());
        Map<String, String> properties = Map.of("feature", "IMAGE_PROPERTIES", "outcome", "success");
        RecognitionJob ok = send(store(GeneratedImages.jpeg(200, 150)), Map.of(), Feature.IMAGE_PROPERTIES);
        RecognitionJob missing = send("images/acme/no-such-object", Map.of(), Feature.LABELS);
        assertEquals(JobStatus.SUCCEEDED, ResultsQueue.awaitFinal(ok.jobId(), PATIENCE).result().status());
        assertEquals(JobStatus.FAILED, ResultsQueue.awaitFinal(missing.jobId(), PATIENCE).result().status());

        PrometheusScrape after = PrometheusScrape.of(port());
        assertEquals(1.0, after.value("worker_feature_duration_seconds_count", properties)
                - before.value("worker_feature_duration_seconds_count", properties), after.text());
        assertTrue(after.has("worker_feature_duration_seconds_bucket"), "a histogram, for p50/p95");
        Map<String, String> invalid = Map.of("operation", "DetectLabels", "error", "InvalidS3ObjectException");
        assertEquals(1.0, after.value("worker_rekognition_errors_total", invalid)
                - before.value("worker_rekognition_errors_total", invalid));

        long end = System.nanoTime() + 15_000_000_000L;
        PrometheusScrape now = after;
        while (!(now.text().contains("sqs_queue_messages{queue=\"" + TestCloud.JOBS_QUEUE + "\"")
                && now.text().contains("sqs_queue_messages{queue=\"" + TestCloud.JOBS_QUEUE + "-dlq\""))
                && System.nanoTime() < end) {
            Thread.sleep(250);
            now = PrometheusScrape.of(port());
        }
        assertTrue(now.has("sqs_queue_messages"), now.text());
        assertTrue(now.text().contains("queue=\"" + TestCloud.JOBS_QUEUE + "\""), "the jobs queue's depth");
        assertTrue(now.text().contains("queue=\"" + TestCloud.JOBS_QUEUE + "-dlq\""), "its dead-letter queue's depth");
    }

    private SpanData await(java.util.function.Predicate<SpanData> wanted) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < end) {
            for (SpanData span : spans.getFinishedSpanItems()) {
                if (wanted.test(span)) {
                    return span;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such span among " + spans.getFinishedSpanItems());
    }
}
