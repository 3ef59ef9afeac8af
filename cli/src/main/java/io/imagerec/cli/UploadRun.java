package io.imagerec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One {@code imagerec upload}: each file is looked up in the state file, hashed, uploaded (ordinary
 * or direct) by one of {@code concurrency} threads, recorded and reported; with {@code --wait} its
 * job is then polled on a small scheduler until it ends, while other files still upload.
 */
final class UploadRun {

    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED");

    private final UploadOptions options;
    private final PlatformClient client;
    private final StateFile state;
    private final Output output;
    private final Counters counters;
    private final PrintWriter err;
    private final int concurrency;
    private final boolean direct;
    private final boolean wait;
    private final Duration waitTimeout;
    private final Clock clock;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waits = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stateUnwritable = new AtomicBoolean();
    private ScheduledExecutorService poller;

    UploadRun(UploadOptions options, PlatformClient client, StateFile state, Output output, Counters counters,
            PrintWriter err, int concurrency, boolean direct, boolean wait, Duration waitTimeout, Clock clock) {
        this.options = options;
        this.client = client;
        this.state = state;
        this.output = output;
        this.counters = counters;
        this.err = err;
        this.concurrency = concurrency;
        this.direct = direct;
        this.wait = wait;
        this.waitTimeout = waitTimeout;
        this.clock = clock;
    }

    /** Uploads every file (and waits for the jobs, with --wait); true when nothing failed. */
    boolean run(FileDiscovery.Result found) throws InterruptedException {
        for (FileDiscovery.Problem p : found.problems()) {
            counters.failed.incrementAndGet();
            output.error(p.shown().toString(), null, null, 0, "UNREADABLE", p.message());
        }
        ExecutorService uploaders = Executors.newFixedThreadPool(concurrency, daemon("upload"));
        if (wait) {
            poller = Executors.newScheduledThreadPool(Math.min(concurrency, 4), daemon("wait"));
        }
        try {
            for (FileDiscovery.Found f : found.files()) {
                uploaders.execute(() -> uploadOne(f));
            }
            uploaders.shutdown();
            while (!uploaders.awaitTermination(1, TimeUnit.HOURS)) {
                // Still uploading.
            }
            counters.uploadsDone();
            CompletableFuture<Void> w;
            while ((w = waits.poll()) != null) {
                w.join();
            }
        } finally {
            uploaders.shutdownNow();
            if (poller != null) {
                poller.shutdownNow();
            }
        }
        return counters.failed.get() == 0 && counters.jobsFailed.get() == 0 && !stateUnwritable.get();
    }

    private void uploadOne(FileDiscovery.Found f) {
        String shown = f.shown().toString();
        String path = f.absolute().toString();
        String stateKey = options.stateKey();
        try {
            Optional<StateFile.Entry> previous = state.byPath(path, f.size(), f.mtimeMillis(), stateKey);
            Hashes.Content content = null;
            if (previous.isEmpty()) {
                content = Hashes.read(f.shown());
                previous = state.bySha(content.sha256(), stateKey);
            }
            if (previous.isPresent()) {
                counters.skipped.incrementAndGet();
                output.skipped(shown, previous.get());
                awaitJob(shown, previous.get().jobId(), previous.get().imageId());
                return;
            }
            String type = Hashes.contentType(f.shown(), content.sniffedType());
            PlatformClient.Outcome outcome = direct
                    ? client.uploadDirect(f.shown(), content.size(), type)
                    : client.upload(f.shown(), type, options.idempotencyKey(content.sha256()));
            if (outcome instanceof PlatformClient.Accepted a) {
                record(new StateFile.Entry(path, content.size(), f.mtimeMillis(), content.sha256(), a.jobId(),
                        a.imageId(), stateKey, clock.instant()));
                counters.accepted.incrementAndGet();
                counters.bytes.addAndGet(content.size());
                output.accepted(shown, a, content.size(), content.sha256());
                awaitJob(shown, a.jobId(), a.imageId());
            } else if (outcome instanceof PlatformClient.Refused r) {
                counters.failed.incrementAndGet();
                output.error(shown, null, null, r.httpStatus(), r.code(), r.message());
            }
        } catch (IOException e) {
            counters.failed.incrementAndGet();
            output.error(shown, null, null, 0, "UNREADABLE", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            counters.failed.incrementAndGet();
            output.error(shown, null, null, 0, "CLIENT_ERROR", String.valueOf(e));
        }
    }

    private void record(StateFile.Entry entry) {
        try {
            state.append(entry);
        } catch (IOException e) {
            if (stateUnwritable.compareAndSet(false, true)) {
                synchronized (err) {
                    err.println("imagerec: cannot append to " + state.path() + " (" + e.getMessage()
                            + "); a rerun will upload these files again (the server answers with the same jobs)");
                    err.flush();
                }
            }
        }
    }

    /** With --wait: polls the job on the scheduler until it ends or the wait times out. */
    private void awaitJob(String shown, String jobId, String imageId) {
        if (!wait) {
            return;
        }
        counters.jobsAwaited.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        waits.add(done);
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        AtomicInteger polls = new AtomicInteger();
        Runnable poll = new Runnable() {
            @Override
            public void run() {
                try {
                    PlatformClient.JobAnswer a = client.job(jobId);
                    int n = polls.incrementAndGet();
                    if (a.httpStatus() == 200 && FINAL.contains(a.job().path("status").asText())) {
                        JsonNode job = a.job();
                        (job.path("status").asText().equals("SUCCEEDED") ? counters.jobsSucceeded : counters.jobsFailed)
                                .incrementAndGet();
                        output.finished(shown, jobId, imageId, job);
                        done.complete(null);
                        return;
                    }
                    boolean pending = a.httpStatus() == 200 || a.httpStatus() == 0
                            || RetryPolicy.retryable(a.httpStatus(), a.code());
                    if (!pending) {
                        counters.jobsFailed.incrementAndGet();
                        output.error(shown, jobId, imageId, a.httpStatus(), a.code(), a.message());
                        done.complete(null);
                        return;
                    }
                    Duration next = RetryPolicy.pollDelay(n, a.retryAfter());
                    if (System.nanoTime() + next.toNanos() > deadline) {
                        counters.jobsFailed.incrementAndGet();
                        String last = a.httpStatus() == 200 ? "job still " + a.job().path("status").asText()
                                : "last answer " + a.code();
                        output.error(shown, jobId, imageId, a.httpStatus(), "WAIT_TIMEOUT",
                                "Not finished within " + Durations.format(waitTimeout) + " (" + last + ")");
                        done.complete(null);
                        return;
                    }
                    poller.schedule(this, next.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    done.complete(null);
                } catch (RuntimeException e) {
                    counters.jobsFailed.incrementAndGet();
                    output.error(shown, jobId, imageId, 0, "CLIENT_ERROR", String.valueOf(e));
                    done.complete(null);
                }
            }
        };
        poller.schedule(poll, RetryPolicy.pollDelay(1, Optional.empty()).toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
