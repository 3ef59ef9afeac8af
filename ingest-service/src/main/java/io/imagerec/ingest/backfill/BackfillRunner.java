package io.imagerec.ingest.backfill;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.imagerec.contracts.JobIds;
import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.config.IngestConfig;
import io.imagerec.ingest.service.JobSubmitter;
import io.imagerec.ingest.service.JsonRecords;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs backfills in the background, one thread each, in steps of at most 100 objects: list the next
 * objects after the cursor, record the planned jobs (ids fixed), send them (in batches of 10), record them
 * settled. Every record write is conditional on the last one, so a runner that lost its lease to
 * another replica stops at its next step. After a crash a replica takes the backfill over once the
 * lease has run out, sends the pending jobs again with the same ids and lists on from the cursor: no
 * object ever gets a second job id. Sends are paced to the backfill's rate.
 */
@ApplicationScoped
public class BackfillRunner {

    private static final Logger LOG = Logger.getLogger(BackfillRunner.class);
    static final String PREFIX = "backfills/";
    /** An empty object per running backfill, so that looking for abandoned ones reads only those. */
    static final String RUNNING_PREFIX = "backfills-running/";
    static final int STEP = 100;
    private static final String JSON = "application/json";
    private static final Duration CALL = Duration.ofSeconds(60);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final ImageStore store;
    private final JobSubmitter jobs;
    private final IngestConfig config;
    private final JsonRecords records;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "backfill");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;

    public BackfillRunner(ImageStore store, JobSubmitter jobs, IngestConfig config, JsonRecords records) {
        this.store = store;
        this.jobs = jobs;
        this.config = config;
        this.records = records;
    }

    static String recordKey(String tenant, String id) {
        return PREFIX + tenant + "/" + id;
    }

    static String runningKey(String tenant, String id) {
        return RUNNING_PREFIX + tenant + "/" + id;
    }

    /** Marks the backfill running, writes it, and starts it here. */
    Uni<Backfill> start(Backfill fresh) {
        return store.put(runningKey(fresh.tenant(), fresh.id()), new byte[0], JSON)
                .chain(() -> store.putIfAbsent(recordKey(fresh.tenant(), fresh.id()), write(fresh), JSON))
                .invoke(etag -> launch(fresh, etag)).replaceWith(fresh);
    }

    Uni<Optional<Backfill>> get(String tenant, String id) {
        return store.get(recordKey(tenant, id)).map(found -> found.map(v -> read(v.bytes())));
    }

    /** Takes over running backfills whose runner died (its lease ran out); also at start-up. */
    @Scheduled(every = "${ingest.backfills.resume-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resumeAbandoned() {
        try {
            for (ImageStore.Listed marker : store.list(RUNNING_PREFIX).await().atMost(CALL)) {
                String recordKey = PREFIX + marker.key().substring(RUNNING_PREFIX.length());
                Optional<ImageStore.Versioned> found = store.get(recordKey).await().atMost(CALL);
                Backfill b = found.map(v -> read(v.bytes())).orElse(null);
                Instant now = clock.instant();
                if (b == null || !b.running()) {
                    // Ended, or not yet written (a marker is written just before its record): once the
                    // marker is older than a lease, it outlived its runner's last step.
                    if (marker.lastModified().isBefore(now.minus(lease()))) {
                        store.delete(marker.key()).await().atMost(CALL);
                    }
                    continue;
                }
                if (running.contains(b.id()) || (b.leaseUntil() != null && !b.leaseUntil().isBefore(now))) {
                    continue;
                }
                try {
                    String etag = store.replace(recordKey, write(b.leased(now, now.plus(lease()))), JSON,
                            found.get().etag()).await().atMost(CALL);
                    LOG.infof("Backfill %s resumed after %s (%d enqueued so far)", b.id(), b.cursor(), b.enqueued());
                    launch(b, etag);
                } catch (ImageStore.ConditionFailedException e) {
                    LOG.debugf("Backfill %s was taken over by another replica", b.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Looking for backfills to resume failed; next time: %s", e.getMessage());
        }
    }

    private void launch(Backfill backfill, String etag) {
        if (stopping || !running.add(backfill.id())) {
            return;
        }
        threads.execute(() -> {
            try {
                run(backfill, etag);
            } finally {
                running.remove(backfill.id());
            }
        });
    }

    private void run(Backfill start, String startEtag) {
        Backfill b = start;
        String etag = startEtag;
        long sentAt = System.nanoTime();
        String key = recordKey(b.tenant(), b.id());
        while (!stopping) {
            try {
                Instant now = clock.instant();
                if (b.pendingThrough() != null) {
                    send(b);
                    b = b.settled(now, now.plus(lease()));
                    etag = checkpoint(key, b, etag);
                    continue;
                }
                // A step holds at most a second's worth of jobs, so that pacing never outlasts the lease.
                ImageStore.Page page = list(b, Math.min(STEP, b.ratePerSecond()));
                if (page.objects().isEmpty()) {
                    b = b.ended(Backfill.SUCCEEDED, null, now);
                    checkpoint(key, b, etag);
                    unmark(b);
                    LOG.infof("Backfill %s done: %d enqueued, %d skipped", b.id(), b.enqueued(), b.skipped());
                    return;
                }
                List<Backfill.PlannedJob> planned = new ArrayList<>();
                for (ImageStore.Listed o : page.objects()) {
                    if (recognisable(o)) {
                        planned.add(new Backfill.PlannedJob(o.key(), JobIds.next(now), JobIds.next(now)));
                    }
                }
                String last = page.objects().get(page.objects().size() - 1).key();
                long skipped = page.objects().size() - planned.size();
                if (planned.isEmpty()) {
                    b = b.planned(planned, last, skipped, now, now.plus(lease())).settled(now, now.plus(lease()));
                    etag = checkpoint(key, b, etag);
                    continue;
                }
                // Pace: this step's jobs leave no sooner than the rate allows after the previous step's.
                long due = sentAt + Duration.ofSeconds(1).toNanos() * planned.size() / b.ratePerSecond();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                sentAt = Math.max(due, System.nanoTime() - Duration.ofSeconds(1).toNanos());
                now = clock.instant();
                b = b.planned(planned, last, skipped, now, now.plus(lease()));
                etag = checkpoint(key, b, etag);
                send(b);
                b = b.settled(now, now.plus(lease()));
                etag = checkpoint(key, b, etag);
            } catch (ImageStore.ConditionFailedException e) {
                LOG.infof("Backfill %s continues on another replica", b.id());
                return;
            } catch (ListingRefused e) {
                try {
                    checkpoint(key, b.ended(Backfill.FAILED, e.getMessage(), clock.instant()), etag);
                    unmark(b);
                } catch (RuntimeException ignored) {
                    LOG.warnf("Backfill %s: could not record its failure", b.id());
                }
                LOG.warnf("Backfill %s failed: %s", b.id(), e.getMessage());
                return;
            } catch (SdkException | TimeoutException e) {
                pause(b, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** S3 refused to list the source for a reason retrying cannot fix (no bucket, no permission, another region). */
    private static final class ListingRefused extends RuntimeException {
        ListingRefused(String message) {
            super(message);
        }
    }

    private ImageStore.Page list(Backfill b, int max) {
        try {
            return store.page(b.bucket(), b.prefix(), b.cursor(), max).await().atMost(CALL);
        } catch (S3Exception e) {
            int status = e.statusCode();
            if (status >= 300 && status < 500 && status != 408 && status != 429) {
                throw new ListingRefused("Listing s3://" + b.bucket() + "/" + b.prefix() + " was refused: "
                        + Optional.ofNullable(e.awsErrorDetails()).map(d -> d.errorCode()).orElse("HTTP " + status));
            }
            throw e;
        }
    }

    /** How many backfills of this tenant are running (by their markers), counting up to {@code max}. */
    Uni<Integer> runningCount(String tenant, int max) {
        return store.page(store.bucket(), RUNNING_PREFIX + tenant + "/", null, max).map(p -> p.objects().size());
    }

    private void pause(Backfill b, RuntimeException e) {
        LOG.warnf("Backfill %s: %s; trying again in %s", b.id(), e.getMessage(), RETRY);
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Best effort: a marker left behind is removed by the next look for abandoned backfills. */
    private void unmark(Backfill b) {
        store.delete(runningKey(b.tenant(), b.id())).onFailure().recoverWithNull().await().atMost(CALL);
    }

    /** Sends the pending jobs (one SendMessageBatch: the batch manager groups them). */
    private void send(Backfill b) {
        Instant now = clock.instant();
        List<Uni<Void>> sends = b.pending().stream().map(p -> jobs.submit(JobSubmitter.job(p.jobId(), p.imageId(),
                b.tenant(), b.bucket(), p.key(), b.options(), now))).toList();
        Uni.join().all(sends).andFailFast().await().atMost(CALL);
    }

    private String checkpoint(String key, Backfill b, String etag) {
        return store.replace(key, write(b), JSON, etag).await().atMost(CALL);
    }

    private boolean recognisable(ImageStore.Listed o) {
        String name = o.key().toLowerCase(Locale.ROOT);
        return (name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png")) && o.size() > 0
                && o.size() <= config.maxImageBytes();
    }

    private Duration lease() {
        return config.backfills().lease();
    }

    private byte[] write(Backfill b) {
        return records.write(b);
    }

    private Backfill read(byte[] bytes) {
        return records.readOrFail(bytes, Backfill.class);
    }

    @PreDestroy
    void stop() {
        // Runners stop at their next step; the lease lets another replica (or the next start) resume.
        stopping = true;
        threads.shutdownNow();
    }
}
