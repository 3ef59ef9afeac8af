package io.imagerec.ingest.service;

import java.io.IOException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.aws.trace.JobTracing;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.RecognitionJob;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.ingest.client.MessageQueues;
import io.smallrye.mutiny.Uni;

/**
 * Puts a job on the jobs queue, however its image arrived. The job counts as accepted once SQS has it;
 * its QUEUED status event follows off the caller's path (best effort: results-service answers QUEUED
 * for a recent job id until the job's events arrive).
 */
@ApplicationScoped
public class JobSubmitter {

    private static final Logger LOG = Logger.getLogger(JobSubmitter.class);

    private final MessageQueues queues;
    private final ObjectMapper json;

    public JobSubmitter(MessageQueues queues, ObjectMapper json) {
        this.queues = queues;
        this.json = json;
    }

    /**
     * A job carrying the trace context current where it is made (the upload request's span), so that its
     * processing joins the upload's trace; empty when tracing is off.
     */
    public static RecognitionJob job(String jobId, String imageId, String tenant, String bucket, String key,
            JobOptions options, Instant submittedAt) {
        return new RecognitionJob(RecognitionJob.SCHEMA, jobId, imageId, tenant, bucket, key,
                options.effectiveFeatures(), options.minConfidence(), options.maxLabels(), submittedAt,
                JobTracing.current(), options.callbackUrl());
    }

    /** Completes when the job is on the queue; fails with the SDK's exception otherwise. */
    public Uni<Void> submit(RecognitionJob job) {
        return queues.sendJob(write(job)).invoke(() -> reportQueued(job));
    }

    private void reportQueued(RecognitionJob job) {
        queues.sendStatus(write(RecognitionResult.status(job, JobStatus.QUEUED, 0, job.submittedAt())))
                .subscribe().with(ok -> { }, e -> LOG.warnf(
                        "Job %s is queued but its QUEUED status event could not be sent: %s", job.jobId(), e.getMessage()));
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("could not be written as JSON", e);
        }
    }
}
