package io.imagerec.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress on stderr: a bar redrawn in place when stderr is a terminal, a plain line every few
 * seconds otherwise (logs, CI), or nothing.
 */
final class Progress implements AutoCloseable {

    enum Mode { AUTO, BAR, LINES, NONE }

    private static final Duration BAR_EVERY = Duration.ofMillis(250);
    private static final Duration LINE_EVERY = Duration.ofSeconds(10);

    private final Mode mode;
    private final PrintWriter err;
    private final Counters counters;
    private final boolean waiting;
    private final ScheduledExecutorService timer;
    private boolean drawn;

    Progress(Mode requested, PrintWriter err, Counters counters, boolean waiting) {
        this.mode = requested == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LINES) : requested;
        this.err = err;
        this.counters = counters;
        this.waiting = waiting;
        if (mode == Mode.NONE) {
            this.timer = null;
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        long every = (mode == Mode.BAR ? BAR_EVERY : LINE_EVERY).toMillis();
        timer.scheduleAtFixedRate(this::render, every, every, TimeUnit.MILLISECONDS);
    }

    Mode mode() {
        return mode;
    }

    /**
     * Whether stderr is a terminal: the {@code imagerec} script says so ({@code -Dimagerec.stderr.tty});
     * else, on Linux, where fd 2 points; else whether the JVM has a console.
     */
    static boolean stderrIsTerminal() {
        String told = System.getProperty("imagerec.stderr.tty");
        if (told != null) {
            return Boolean.parseBoolean(told) || told.equals("1");
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    /** Clears the bar before something else is written to the terminal; the next tick redraws it. */
    synchronized void clear() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }

    synchronized void render() {
        if (mode == Mode.BAR) {
            err.print("\r\033[K" + bar());
            err.flush();
            drawn = true;
        } else if (mode == Mode.LINES) {
            err.println("imagerec: " + line());
            err.flush();
        }
    }

    /** The bar: files while uploading, then (with --wait) jobs; cut to the terminal's width. */
    String bar() {
        long files = counters.files.get();
        long handled = counters.handled();
        boolean jobs = waiting && handled >= files;
        long total = jobs ? counters.jobsAwaited.get() : files;
        long done = jobs ? counters.jobsFinished() : handled;
        int width = 20;
        int filled = total == 0 ? 0 : (int) (width * done / total);
        StringBuilder s = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(width - filled))
                .append("] ").append(String.format(Locale.ROOT, "%3d%% ", total == 0 ? 0 : 100 * done / total));
        s.append(String.format(Locale.ROOT, "%d/%d %s | %d ok %d skip %d fail | %s %.1f/s | %s", done, total,
                jobs ? "jobs" : "files", counters.accepted.get(), counters.skipped.get(), counters.failed.get(),
                Durations.bytes(counters.bytes.get()), counters.uploadsPerSecond(),
                Durations.format(counters.elapsed())));
        if (!jobs) {
            double rate = handled / Math.max(1e-3, counters.elapsed().toNanos() / 1e9);
            if (handled > 0 && handled < files) {
                s.append(" ETA ").append(Durations.format(Duration.ofSeconds((long) ((files - handled) / rate))));
            }
        } else {
            s.append(String.format(Locale.ROOT, " | %d succeeded %d failed", counters.jobsSucceeded.get(),
                    counters.jobsFailed.get()));
        }
        int columns = Integer.getInteger("imagerec.columns", 100);
        return s.length() < columns ? s.toString() : s.substring(0, Math.max(10, columns - 1));
    }

    /** The counts, for the bar and for the periodic lines. */
    String line() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%d/%d files: %d accepted, %d skipped, %d failed; %s, %.1f uploads/s",
                counters.handled(), counters.files.get(), counters.accepted.get(), counters.skipped.get(),
                counters.failed.get(), Durations.bytes(counters.bytes.get()), counters.uploadsPerSecond()));
        if (waiting) {
            s.append(String.format(Locale.ROOT, "; jobs %d/%d finished", counters.jobsFinished(),
                    counters.jobsAwaited.get()));
        }
        s.append("; ").append(Durations.format(counters.elapsed()));
        return s.toString();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clear();
    }
}
