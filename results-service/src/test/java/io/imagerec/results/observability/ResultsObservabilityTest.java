package io.imagerec.results.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.results.Results;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.PrometheusScrape;
import io.imagerec.testsupport.TestCloud;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A result is applied in a span of the trace it carries; the oldest unfinished job and the queue depths
 * are gauges that follow what is in the database and on the queues.
 */
@QuarkusTest
@TestProfile(TracingTestProfile.class)
class ResultsObservabilityTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    InMemorySpanExporter spans;

    private static int management() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return HexFormat.of().formatHex(b);
    }

    @Test
    void aResultIsAppliedInASpanOfItsTrace() throws Exception {
        String traceId = hex(16);
        String workerSpanId = hex(8);
        String jobId = Results.newJobId();
        RecognitionResult result = Results.of(jobId, "acme", JobStatus.SUCCEEDED, Instant.now())
                .withTraceContext(Map.of("traceparent", "00-" + traceId + "-" + workerSpanId + "-01"));
        Results.send(result);

        SpanData apply = await(s -> jobId.equals(s.getAttributes().get(AttributeKey.stringKey("imagerec.job.id"))));
        assertEquals("recognition-results apply", apply.getName());
        assertEquals(SpanKind.CONSUMER, apply.getKind());
        assertEquals(traceId, apply.getTraceId());
        assertEquals(workerSpanId, apply.getParentSpanId());
        assertEquals("acme", apply.getAttributes().get(AttributeKey.stringKey("imagerec.tenant")));
    }

    @Test
    void theOldestUnfinishedJobAndTheQueueDepthsAreGauges() throws Exception {
        String jobId = Results.newJobId();
        Instant longAgo = Instant.now().minus(Duration.ofDays(30));
        Results.send(Results.of(jobId, "acme", JobStatus.QUEUED, longAgo));
        Results.await("the QUEUED job is stored", PATIENCE, () -> "QUEUED".equals(status(jobId)));
        double month = Duration.ofDays(30).toSeconds();
        awaitMetric("the oldest unfinished job is a month old", s -> s.value(
                "results_jobs_oldest_unfinished_age_seconds") >= month);

        Results.send(Results.of(jobId, "acme", JobStatus.SUCCEEDED, Instant.now()));
        awaitMetric("once it is done, the oldest unfinished job is younger", s -> s.value(
                "results_jobs_oldest_unfinished_age_seconds") < month);

        PrometheusScrape depths = awaitMetric("both queues' depths", s ->
                s.text().contains("sqs_queue_messages{queue=\"" + TestCloud.RESULTS_QUEUE + "\"")
                && s.text().contains("sqs_queue_messages{queue=\"" + TestCloud.RESULTS_QUEUE + "-dlq\""));
        assertTrue(depths.value("sqs_queue_messages", Map.of("queue", TestCloud.RESULTS_QUEUE + "-dlq",
                "state", "visible")) >= 0);
    }

    private static String status(String jobId) {
        try (Connection c = LocalCloudResource.cloud().database();
                PreparedStatement s = c.prepareStatement("SELECT status FROM jobs WHERE job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static PrometheusScrape awaitMetric(String what, Predicate<PrometheusScrape> condition)
            throws InterruptedException {
        long end = System.nanoTime() + PATIENCE.toNanos();
        PrometheusScrape now = PrometheusScrape.of(management());
        while (!condition.test(now)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " did not happen within " + PATIENCE + ":\n" + now.text());
            }
            Thread.sleep(250);
            now = PrometheusScrape.of(management());
        }
        return now;
    }

    private SpanData await(Predicate<SpanData> wanted) throws InterruptedException {
        long end = System.nanoTime() + PATIENCE.toNanos();
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
