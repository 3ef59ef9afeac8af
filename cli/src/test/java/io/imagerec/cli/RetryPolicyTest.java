package io.imagerec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration BUDGET = Duration.ofMinutes(10);

    private static RetryPolicy policy(double random) {
        return new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), BUDGET, () -> random);
    }

    @Test
    void unavailableAndThrottledAreRetriedAfterTheServersRetryAfter() {
        for (int status : new int[] {503, 429}) {
            RetryPolicy.Decision d = policy(0.5).afterStatus(1, Duration.ZERO, status, "QUEUE_UNAVAILABLE",
                    Optional.of("7"), NOW);
            assertTrue(d.retry(), "status " + status);
            assertEquals(Duration.ofSeconds(7), d.delay());
        }
    }

    @Test
    void anUploadInProgressWithTheSameKeyIsWaitedForButOtherConflictsAreFinal() {
        RetryPolicy.Decision inUse = policy(0.5).afterStatus(1, Duration.ZERO, 409, "IDEMPOTENCY_KEY_IN_USE",
                Optional.of("3"), NOW);
        assertTrue(inUse.retry());
        assertEquals(Duration.ofSeconds(3), inUse.delay());
        assertFalse(policy(0.5).afterStatus(1, Duration.ZERO, 409, "SOMETHING_ELSE", Optional.of("3"), NOW).retry());
    }

    @Test
    void clientErrorsAreTheFilesFinalAnswer() {
        for (int status : new int[] {400, 401, 403, 404, 413, 415, 422}) {
            RetryPolicy.Decision d = policy(0.5).afterStatus(1, Duration.ZERO, status, "X", Optional.of("1"), NOW);
            assertFalse(d.retry(), "status " + status);
            assertTrue(d.reason().contains(Integer.toString(status)), d.reason());
        }
    }

    @Test
    void serverErrorsAndNoAnswerBackOffExponentiallyWithJitterUpToTheMaximum() {
        assertTrue(policy(0.5).afterStatus(1, Duration.ZERO, 500, "INTERNAL_ERROR", Optional.empty(), NOW).retry());
        assertTrue(policy(0.5).afterStatus(1, Duration.ZERO, 502, null, Optional.empty(), NOW).retry());
        // random 0: half the step; random just under 1: the whole step.
        long[] low = {250, 500, 1000, 2000, 4000, 8000, 15000, 15000};
        long[] high = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (int attempt = 1; attempt <= low.length; attempt++) {
            assertEquals(Duration.ofMillis(low[attempt - 1]), policy(0).afterNoAnswer(attempt, Duration.ZERO, "reset")
                    .delay(), "attempt " + attempt);
            long top = policy(0.999999).afterNoAnswer(attempt, Duration.ZERO, "reset").delay().toMillis();
            assertTrue(Math.abs(top - high[attempt - 1]) <= 1, "attempt " + attempt + ": " + top);
        }
        assertEquals(Duration.ofSeconds(15), policy(0).backoff(1000), "no overflow on many attempts");
    }

    @Test
    void retryingStopsOnceTheBudgetWouldBeExceeded() {
        RetryPolicy.Decision last = policy(0.5).afterStatus(9, BUDGET.minusSeconds(3), 503, "STORAGE_UNAVAILABLE",
                Optional.of("5"), NOW);
        assertFalse(last.retry());
        assertTrue(last.reason().contains("503"), last.reason());
        assertTrue(policy(0.5).afterStatus(9, BUDGET.minusSeconds(6), 503, "STORAGE_UNAVAILABLE", Optional.of("5"), NOW)
                .retry());
        assertFalse(policy(0).afterNoAnswer(3, BUDGET, "refused").retry());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsADateAndKeptSane() {
        assertEquals(Optional.of(Duration.ofSeconds(5)), RetryPolicy.parseRetryAfter(" 5 ", NOW));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                RetryPolicy.parseRetryAfter("Wed, 25 Nov 2026 10:01:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryPolicy.parseRetryAfter("Wed, 25 Nov 2026 09:00:00 GMT", NOW),
                "a date in the past: at once");
        assertEquals(Optional.of(RetryPolicy.MAX_RETRY_AFTER), RetryPolicy.parseRetryAfter("86400", NOW));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("soon", NOW));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter(null, NOW));
        // An unreadable header falls back to the back-off.
        assertEquals(Duration.ofMillis(250), policy(0).afterStatus(1, Duration.ZERO, 503, null, Optional.of("soon"), NOW)
                .delay());
    }

    @Test
    void jobsArePolledAfterOneSecondGrowingToFiveUnlessTheServerSaysOtherwise() {
        assertEquals(Duration.ofMillis(1000), RetryPolicy.pollDelay(1, Optional.empty()));
        assertEquals(Duration.ofMillis(1500), RetryPolicy.pollDelay(2, Optional.empty()));
        assertEquals(Duration.ofMillis(2250), RetryPolicy.pollDelay(3, Optional.empty()));
        assertEquals(Duration.ofMillis(5000), RetryPolicy.pollDelay(10, Optional.empty()));
        assertEquals(Duration.ofSeconds(12), RetryPolicy.pollDelay(10, Optional.of(Duration.ofSeconds(12))));
    }
}
