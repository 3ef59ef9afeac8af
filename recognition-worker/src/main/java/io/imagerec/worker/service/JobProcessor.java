package io.imagerec.worker.service;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.aws.sqs.Backoff;
import io.imagerec.aws.sqs.SqsMessageConsumer.Outcome;
import io.imagerec.aws.trace.JobTracing;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Messages;
import io.imagerec.contracts.RecognitionJob;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.worker.client.RekognitionGateway;
import io.imagerec.worker.client.ResultPublisher;
import io.imagerec.worker.config.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * One job from message to result. The outcome says what to do with the message: acknowledge it once
 * a final result is on the results queue; or leave it to SQS to deliver again after a back-off
 * (transient errors) until the jobs queue's redrive policy moves it to the dead-letter queue. The last
 * attempt reports FAILED with RETRIES_EXHAUSTED, so every accepted upload ends with a result; a
 * redrive of the dead-letter queue can still replace that with the real one.
 *
 * <p>Each delivery runs in a span that is a child of the trace context the job carries (the upload's),
 * with the job id and tenant in the MDC; its Rekognition calls and the results it sends carry that span.
 */
@ApplicationScoped
public class JobProcessor {

    private static final Logger LOG = Logger.getLogger(JobProcessor.class);

    private final RekognitionGateway rekognition;
    private final ResultPublisher results;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final int maxReceives;
    private final Backoff backoff;
    private final Clock clock = Clock.systemUTC();
    private final Tracer tracer;

    public JobProcessor(RekognitionGateway rekognition, ResultPublisher results, ObjectMapper json,
            MeterRegistry metrics, WorkerConfig config, Tracer tracer) {
        this.tracer = tracer;
        this.rekognition = rekognition;
        this.results = results;
        this.json = json;
        this.metrics = metrics;
        this.maxReceives = config.maxReceives();
        this.backoff = new Backoff(config.jobs().retryInitialDelay(), config.jobs().retryMaxDelay());
    }

    /** Works on one delivery of a job message; {@code attempt} is its receive count. Never fails. */
    public Uni<Outcome> process(String body, int attempt) {
        RecognitionJob job;
        try {
            job = Messages.readJob(json, body);
        } catch (IOException e) {
            // Nothing to report a result against; SQS moves it to the dead-letter queue for operators.
            LOG.errorf("Unreadable job message (attempt %d) left for the dead-letter queue: %s", attempt, e.getMessage());
            count("unreadable");
            return Uni.createFrom().item(Outcome.retry(Duration.ZERO, "unreadable job message"));
        }
        return JobTracing.inSpan(tracer, "recognition-jobs process", SpanKind.CONSUMER, job.traceContext(),
                job.jobId(), job.tenant(), () -> {
                    // With tracing off here, the job's own context is passed on unchanged.
                    Map<String, String> trace = JobTracing.current();
                    return process(job, attempt, trace.isEmpty() ? job.traceContext() : trace);
                });
    }

    /** Works on a job inside its span; what it sends carries {@code trace}, the span's context. */
    private Uni<Outcome> process(RecognitionJob job, int attempt, Map<String, String> trace) {
        // PROCESSING is informative: sent beside the analysis, and its loss changes nothing. It is waited for
        // (at most the publish timeout) so that no send outlives its job; with it sent and forgotten, one
        // run of FaultToleranceIT left four jobs held by the worker after local-cloud restarted (cause not
        // proven), so this is back to the form that passed every fault run.
        Uni<Void> processing = results.publish(RecognitionResult.status(job, JobStatus.PROCESSING, attempt,
                clock.instant()).withTraceContext(trace)).onFailure().recoverWithItem(e -> {
                    LOG.debugf("PROCESSING of job %s was not reported: %s", job.jobId(), e.toString());
                    return null;
                });
        return Uni.combine().all().unis(processing, rekognition.analyse(job)).with((sent, analysis) -> analysis)
                .chain(analysis -> results.publish(new RecognitionResult(RecognitionResult.SCHEMA, job.jobId(),
                        job.imageId(), job.tenant(), JobStatus.SUCCEEDED, null, null, analysis.labels(),
                        analysis.imageProperties(), analysis.faceDetails(), analysis.textDetections(),
                        analysis.modelVersion(), analysis.engine(), attempt, job.submittedAt(), clock.instant(),
                        job.callbackUrl(), trace, analysis.moderationLabels())))
                .map(sent -> {
                    count("succeeded");
                    return Outcome.ack();
                })
                .onFailure().recoverWithUni(failure -> onFailure(job, attempt, failure, trace));
    }

    private Uni<Outcome> onFailure(RecognitionJob job, int attempt, Throwable failure, Map<String, String> trace) {
        String permanent = JobFailures.permanentErrorCode(failure);
        Throwable cause = JobFailures.unwrap(failure);
        if (permanent != null) {
            LOG.infof("Job %s failed permanently: %s", job.jobId(), permanent);
            return results.publish(RecognitionResult.failed(job, permanent, cause instanceof
                    AwsServiceException aws && aws.awsErrorDetails() != null
                            ? aws.awsErrorDetails().errorMessage() : permanent, null, attempt,
                    clock.instant()).withTraceContext(trace))
                    .map(sent -> {
                        count("failed");
                        return Outcome.ack();
                    })
                    .onFailure().recoverWithItem(e -> retry(job, attempt, e));
        }
        if (attempt >= maxReceives) {
            // Last delivery: report the failure so the upload ends with a result, and release the message
            // at once so that its next receive moves it to the dead-letter queue, where an operator sees it.
            // Released only once the failure is reported: held (and renewed) while the results queue is down.
            LOG.warnf("Job %s failed on its last attempt (%d): %s", job.jobId(), attempt, cause.toString());
            return results.publish(RecognitionResult.failed(job, "RETRIES_EXHAUSTED",
                    "Recognition failed " + attempt + " times; last error: " + describe(cause), null, attempt,
                    clock.instant()).withTraceContext(trace))
                    .onFailure().invoke(e -> LOG.warnf("RETRIES_EXHAUSTED of job %s not yet reported: %s",
                            job.jobId(), e.toString()))
                    .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(Long.MAX_VALUE)
                    .map(sent -> {
                        count("exhausted");
                        return Outcome.retry(Duration.ZERO, "retries exhausted");
                    });
        }
        return Uni.createFrom().item(retry(job, attempt, cause));
    }

    private Outcome retry(RecognitionJob job, int attempt, Throwable cause) {
        Duration delay = backoff.delay(attempt);
        LOG.warnf("Job %s failed on attempt %d and will be retried in %d s: %s", job.jobId(), attempt,
                delay.toSeconds(), JobFailures.unwrap(cause).toString());
        count("retried");
        return Outcome.retry(delay, cause.toString());
    }

    /**
     * A failure as the job's client sees it: Rekognition's error code, or the kind of fault, never the
     * message (it can name internal hosts and ports).
     */
    static String describe(Throwable cause) {
        if (cause instanceof AwsServiceException aws
                && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        if (cause instanceof ApiCallTimeoutException || cause instanceof TimeoutException) {
            return "a timeout";
        }
        return "the recognition service could not be reached";
    }

    private void count(String outcome) {
        metrics.counter("worker.jobs", "outcome", outcome).increment();
    }
}
