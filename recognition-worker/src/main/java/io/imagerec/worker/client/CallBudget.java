package io.imagerec.worker.client;

import java.time.Duration;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * This worker's share of the account's Rekognition quota ({@code worker.rekognition.calls-per-second}):
 * every call, first attempts and retries alike, is given a start time at least {@code 1 / rate} from
 * every other one. A call that may not start before some time (a retry's back-off) takes the first
 * free slot after it without holding back the calls that can go earlier. Never blocks: it answers how
 * long to wait, and the SDK waits that long on its scheduler.
 */
final class CallBudget {

    private final long interval;
    private final LongSupplier clock;
    private final NavigableSet<Long> slots = new TreeSet<>();

    CallBudget(double callsPerSecond) {
        this(callsPerSecond, System::nanoTime);
    }

    /** With a clock in nanoseconds, as {@link System#nanoTime()}. */
    CallBudget(double callsPerSecond, LongSupplier clock) {
        this.clock = clock;
        if (!(callsPerSecond > 0)) {
            throw new IllegalArgumentException("worker.rekognition.calls-per-second must be above 0, not " + callsPerSecond);
        }
        this.interval = (long) (1e9 / callsPerSecond);
    }

    /** Reserves the first free start at or after {@code notBefore} from now, and returns the wait until it. */
    Duration reserve(Duration notBefore) {
        long now = clock.getAsLong();
        long candidate = now + notBefore.toNanos();
        synchronized (slots) {
            slots.headSet(now - interval, false).clear();
            // Slots are kept at least one interval apart, so at most two can be closer than that to a candidate.
            while (true) {
                Long before = slots.floor(candidate);
                if (before != null && candidate - before < interval) {
                    candidate = before + interval;
                    continue;
                }
                Long after = slots.ceiling(candidate);
                if (after != null && after - candidate < interval) {
                    candidate = after + interval;
                    continue;
                }
                break;
            }
            slots.add(candidate);
        }
        return Duration.ofNanos(candidate - now);
    }
}
