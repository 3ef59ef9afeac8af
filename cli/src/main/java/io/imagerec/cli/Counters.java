package io.imagerec.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** What a run has done so far; read by the progress display and the summary while uploads go on. */
final class Counters {

    final AtomicLong files = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    /** Jobs being waited for (--wait), and how they ended. */
    final AtomicLong jobsAwaited = new AtomicLong();
    final AtomicLong jobsSucceeded = new AtomicLong();
    final AtomicLong jobsFailed = new AtomicLong();
    private final long started = System.nanoTime();
    private volatile long uploadsEnded;

    long handled() {
        return accepted.get() + skipped.get() + failed.get();
    }

    long jobsFinished() {
        return jobsSucceeded.get() + jobsFailed.get();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Marks the end of the upload phase; uploads/s is counted over it alone. */
    void uploadsDone() {
        uploadsEnded = System.nanoTime();
    }

    Duration uploadTime() {
        long end = uploadsEnded == 0 ? System.nanoTime() : uploadsEnded;
        return Duration.ofNanos(end - started);
    }

    double uploadsPerSecond() {
        double seconds = uploadTime().toNanos() / 1e9;
        return seconds <= 0 ? 0 : accepted.get() / seconds;
    }
}
