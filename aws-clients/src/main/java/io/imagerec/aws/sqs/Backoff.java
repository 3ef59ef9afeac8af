package io.imagerec.aws.sqs;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The platform's one back-off between attempts: exponential from {@code initial}, capped at
 * {@code max}, with jitter (a uniform draw from the upper half of the step) so that many jobs that
 * failed together do not all come back together.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first). */
    public Duration delay(int attempt) {
        long ceiling = step(attempt).toMillis();
        if (ceiling == 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /** The un-jittered step after attempt number {@code attempt}: initial x 2^(attempt-1), at most max. */
    public Duration step(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        long millis = initial.toMillis() << doublings;
        return millis < 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
