package io.imagerec.aws.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.mutiny.Uni;

class JobTracingTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final Tracer tracer = provider.get("test");

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void theWorkRunsInAChildSpanOfTheCarriedContextWithJobAndTenantInTheMdc() {
        Span upload = tracer.spanBuilder("upload").startSpan();
        Map<String, String> carried;
        try (Scope s = upload.makeCurrent()) {
            carried = JobTracing.current();
        } finally {
            upload.end();
        }
        assertTrue(carried.get("traceparent").contains(upload.getSpanContext().getTraceId()), carried.toString());

        String[] seen = new String[3];
        String out = JobTracing.inSpan(tracer, "process job", SpanKind.CONSUMER, carried, "job-1", "acme", () -> {
            seen[0] = (String) MDC.get(JobTracing.MDC_JOB_ID);
            seen[1] = (String) MDC.get(JobTracing.MDC_TENANT);
            seen[2] = JobTracing.current().get("traceparent");
            return Uni.createFrom().item("done");
        }).await().atMost(Duration.ofSeconds(5));

        assertEquals("done", out);
        assertEquals("job-1", seen[0]);
        assertEquals("acme", seen[1]);
        List<SpanData> finished = spans.getFinishedSpanItems();
        SpanData job = finished.stream().filter(d -> d.getName().equals("process job")).findFirst().orElseThrow();
        assertEquals(upload.getSpanContext().getTraceId(), job.getTraceId());
        assertEquals(upload.getSpanContext().getSpanId(), job.getParentSpanId());
        assertEquals("job-1", job.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("imagerec.job.id")));
        // What the work sends on carries the job's span, not the upload's.
        assertTrue(seen[2].contains(job.getSpanId()), seen[2]);
        // Once the work is over the MDC no longer names the job.
        assertNull(MDC.get(JobTracing.MDC_JOB_ID));
        assertNull(MDC.get(JobTracing.MDC_TENANT));
    }

    /** Off a message's own context the MDC is the thread's: given back as it was, never cleared by another thread. */
    @Test
    void theThreadsMdcIsGivenBackWhenTheWorkGoesOnElsewhere() throws Exception {
        MDC.put(JobTracing.MDC_JOB_ID, "outer-job");
        try {
            java.util.concurrent.CompletableFuture<String> later = new java.util.concurrent.CompletableFuture<>();
            String[] during = new String[1];
            var result = JobTracing.inSpan(tracer, "process job", SpanKind.CONSUMER, null, "job-4", "acme", () -> {
                during[0] = (String) MDC.get(JobTracing.MDC_JOB_ID);
                return Uni.createFrom().completionStage(later);
            }).subscribeAsCompletionStage();
            assertEquals("job-4", during[0]);
            // The work is still running; this thread names its own job again, and no tenant.
            assertEquals("outer-job", MDC.get(JobTracing.MDC_JOB_ID));
            assertNull(MDC.get(JobTracing.MDC_TENANT));
            // The work ends on another thread, whose MDC names something else: left alone.
            Thread other = new Thread(() -> {
                MDC.put(JobTracing.MDC_JOB_ID, "other-thread-job");
                later.complete("done");
                during[0] = (String) MDC.get(JobTracing.MDC_JOB_ID);
            });
            other.start();
            other.join();
            assertEquals("done", result.get(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("other-thread-job", during[0]);
            assertEquals("outer-job", MDC.get(JobTracing.MDC_JOB_ID));
        } finally {
            MDC.remove(JobTracing.MDC_JOB_ID);
        }
    }

    @Test
    void cancellingTheSpanCancelsTheWorkAndEndsTheSpan() {
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        Uni<String> never = Uni.createFrom().<String>nothing().onCancellation().invoke(() -> cancelled.set(true));
        var subscription = JobTracing.inSpan(tracer, "process job", SpanKind.CONSUMER, null, "job-3", "acme",
                () -> never).subscribe().with(item -> { }, failure -> { });
        subscription.cancel();
        assertTrue(cancelled.get(), "the work was cancelled with its span");
        assertEquals(1, spans.getFinishedSpanItems().size(), "and the span ended");
    }

    @Test
    void aFailureIsRecordedAndNoContextStartsANewTrace() {
        RuntimeException boom = new RuntimeException("boom");
        try {
            JobTracing.inSpan(tracer, "process job", SpanKind.CONSUMER, null, "job-2", "acme",
                    () -> Uni.createFrom().failure(boom)).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            assertEquals(boom, e);
        }
        SpanData job = spans.getFinishedSpanItems().get(0);
        assertEquals(io.opentelemetry.api.trace.StatusCode.ERROR, job.getStatus().getStatusCode());
        assertTrue(job.getParentSpanContext().isValid() == false);
        assertTrue(JobTracing.current().isEmpty());
        assertTrue(JobTracing.extract(Map.of("traceparent", "garbage")) != null);
    }
}
