package io.imagerec.worker.service;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Messages;
import io.imagerec.contracts.RecognitionJob;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.worker.client.RekognitionGateway;
import io.imagerec.worker.client.ResultPublisher;
import io.imagerec.worker.config.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One job from message to result. The outcome says what to do with the message: acknowledge it once
 * a final result is on the results queue, or leave it for SQS to deliver again (transient errors),
 * until the jobs queue's redrive policy moves it to the dead-letter queue.
 */
@ApplicationScoped
public class JobProcessor {

    private static final Logger LOG = Logger.getLogger(JobProcessor.class);

    public enum Outcome { ACK, RETRY }

    private final RekognitionGateway rekognition;
    private final ResultPublisher results;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final int maxReceives;
    private final Clock clock = Clock.systemUTC();

    public JobProcessor(RekognitionGateway rekognition, ResultPublisher results, ObjectMapper json,
            MeterRegistry metrics, WorkerConfig config) {
        this.rekognition = rekognition;
        this.results = results;
        this.json = json;
        this.metrics = metrics;
        this.maxReceives = config.maxReceives();
    }

    public CompletableFuture<Outcome> process(String body, int attempt) {
        RecognitionJob job;
        try {
            job = Messages.readJob(json, body);
        } catch (IOException e) {
            // Nothing to report a result against; SQS moves it to the dead-letter queue for operators.
            LOG.errorf("Unreadable job message (attempt %d) left for the dead-letter queue: %s", attempt, e.getMessage());
            count("unreadable");
            return CompletableFuture.completedFuture(Outcome.RETRY);
        }
        return results.publish(RecognitionResult.status(job, JobStatus.PROCESSING, attempt, clock.instant()))
                .thenCompose(sent -> rekognition.analyse(job))
                .thenCompose(analysis -> results.publish(new RecognitionResult(RecognitionResult.SCHEMA, job.jobId(),
                        job.imageId(), job.tenant(), JobStatus.SUCCEEDED, null, null, analysis.labels(),
                        analysis.imageProperties(), analysis.faceDetails(), analysis.textDetections(), analysis.modelVersion(),
                        analysis.engine(), attempt,
                        job.submittedAt(), clock.instant())))
                .thenApply(sent -> {
                    count("succeeded");
                    return Outcome.ACK;
                })
                .exceptionallyCompose(failure -> onFailure(job, attempt, failure));
    }

    private CompletableFuture<Outcome> onFailure(RecognitionJob job, int attempt, Throwable failure) {
        String permanent = RekognitionGateway.permanentErrorCode(failure);
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (permanent != null) {
            LOG.infof("Job %s failed permanently: %s", job.jobId(), permanent);
            return results.publish(RecognitionResult.failed(job, permanent, cause.getMessage(), null, attempt,
                    clock.instant())).thenApply(sent -> {
                        count("failed");
                        return Outcome.ACK;
                    });
        }
        if (attempt >= maxReceives) {
            // Last delivery: report the failure so the upload ends with a result, and leave the message
            // to the dead-letter queue so an operator can see it and redrive it.
            LOG.warnf("Job %s failed on its last attempt (%d): %s", job.jobId(), attempt, cause.toString());
            count("exhausted");
            return results.publish(RecognitionResult.failed(job, "RETRIES_EXHAUSTED",
                    "Recognition failed " + attempt + " times; last error: " + cause.getMessage(), null, attempt,
                    clock.instant())).handle((sent, e) -> Outcome.RETRY);
        }
        LOG.warnf("Job %s failed on attempt %d and will be retried: %s", job.jobId(), attempt, cause.toString());
        count("retried");
        return CompletableFuture.completedFuture(Outcome.RETRY);
    }

    private void count(String outcome) {
        metrics.counter("worker.jobs", "outcome", outcome).increment();
    }
}
