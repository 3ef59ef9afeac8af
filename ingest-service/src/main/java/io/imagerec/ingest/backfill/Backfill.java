package io.imagerec.ingest.backfill;

import java.time.Instant;
import java.util.List;

import io.imagerec.ingest.service.JobOptions;

/**
 * A backfill and its progress, kept in S3 under {@code backfills/<tenant>/<id>} and rewritten with a
 * conditional write at every step, so that one ingest replica at a time runs it and another can take it
 * over (and resume from {@code cursor}) once its lease has run out.
 *
 * @param cursor the last listed key whose fate is settled (enqueued or skipped); listing resumes after it
 * @param pending jobs planned and possibly sent but not yet settled: a runner that takes over sends
 *        exactly these again, with the same ids, before listing on
 * @param pendingThrough the last key of the step that planned {@code pending}, and
 *        {@code pendingSkipped} how many of its objects were skipped
 */
public record Backfill(String id, String tenant, String bucket, String prefix, JobOptions options, int ratePerSecond,
        String state, long listed, long enqueued, long skipped, String cursor, List<PlannedJob> pending,
        String pendingThrough, long pendingSkipped, String error, Instant createdAt, Instant updatedAt, Instant leaseUntil) {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    /** One object's job, its ids fixed before it is sent. */
    public record PlannedJob(String key, String jobId, String imageId) {
    }

    public Backfill {
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    boolean running() {
        return RUNNING.equals(state);
    }

    static Backfill create(String id, String tenant, String bucket, String prefix, JobOptions options,
            int ratePerSecond, Instant now, Instant leaseUntil) {
        return new Backfill(id, tenant, bucket, prefix, options, ratePerSecond, RUNNING, 0, 0, 0, null, List.of(),
                null, 0, null, now, now, leaseUntil);
    }

    Backfill leased(Instant now, Instant until) {
        return new Backfill(id, tenant, bucket, prefix, options, ratePerSecond, state, listed, enqueued, skipped,
                cursor, pending, pendingThrough, pendingSkipped, error, createdAt, now, until);
    }

    /** The next step's objects are listed ({@code through} the last of them) and their jobs planned. */
    Backfill planned(List<PlannedJob> jobs, String through, long stepSkipped, Instant now, Instant until) {
        return new Backfill(id, tenant, bucket, prefix, options, ratePerSecond, state, listed, enqueued, skipped,
                cursor, jobs, through, stepSkipped, error, createdAt, now, until);
    }

    /** The pending jobs are on the queue: their step is settled, and counted. */
    Backfill settled(Instant now, Instant until) {
        return new Backfill(id, tenant, bucket, prefix, options, ratePerSecond, state,
                listed + pending.size() + pendingSkipped, enqueued + pending.size(), skipped + pendingSkipped,
                pendingThrough, List.of(), null, 0, error, createdAt, now, until);
    }

    Backfill ended(String endState, String reason, Instant now) {
        return new Backfill(id, tenant, bucket, prefix, options, ratePerSecond, endState, listed, enqueued, skipped,
                cursor, pending, pendingThrough, pendingSkipped, reason, createdAt, now, null);
    }
}
