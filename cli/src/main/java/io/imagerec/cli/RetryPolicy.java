package io.imagerec.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a request again, and after how long. Pure: the caller says what happened, how many
 * attempts were made and how long it has been trying; the policy answers retry-after-this-delay or
 * give up.
 *
 * <p>Retried: no answer at all (connection refused or reset, timeout); 503 and 429; 409 with
 * {@code IDEMPOTENCY_KEY_IN_USE} (the same upload is in progress, its answer comes after it); 408, 500,
 * 502 and 504, which are safe to repeat because every upload carries its Idempotency-Key. A
 * {@code Retry-After} from the server is honoured (never retried earlier, at most
 * {@link #MAX_RETRY_AFTER}); without one the delay grows exponentially from {@code initial} to
 * {@code max}, with jitter so that many parallel uploads do not come back in step. Everything else
 * (400, 401, 403, 404, 413, 415, 422, other 409s) is the file's final answer.
 */
final class RetryPolicy {

    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    static final String KEY_IN_USE = "IDEMPOTENCY_KEY_IN_USE";

    /** Retry after {@code delay}, or give up ({@code delay} null). */
    record Decision(boolean retry, Duration delay, String reason) {

        static Decision giveUp(String reason) {
            return new Decision(false, null, reason);
        }

        static Decision after(Duration delay, String reason) {
            return new Decision(true, delay, reason);
        }
    }

    private final Duration initial;
    private final Duration max;
    private final Duration budget;
    private final DoubleSupplier random;

    /**
     * @param initial the first delay when the server gives none
     * @param max the longest such delay
     * @param budget how long one request may keep being retried, counted from its first attempt
     * @param random 0 (inclusive) to 1 (exclusive), for the jitter
     */
    RetryPolicy(Duration initial, Duration max, Duration budget, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.budget = budget;
        this.random = random;
    }

    static RetryPolicy standard(Duration budget) {
        return new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), budget, Math::random);
    }

    /** Whether an HTTP status (with the error body's code, if any) is worth another attempt. */
    static boolean retryable(int status, String code) {
        return switch (status) {
            case 408, 429, 500, 502, 503, 504 -> true;
            case 409 -> KEY_IN_USE.equals(code);
            default -> false;
        };
    }

    /**
     * After an answer with an error status.
     *
     * @param attempt attempts made so far, 1 after the first
     * @param elapsed since the first attempt
     * @param retryAfter the Retry-After header, if any
     */
    Decision afterStatus(int attempt, Duration elapsed, int status, String code, Optional<String> retryAfter,
            Instant now) {
        String reason = "HTTP " + status + (code == null ? "" : " " + code);
        if (!retryable(status, code)) {
            return Decision.giveUp(reason);
        }
        Duration delay = retryAfter.flatMap(value -> parseRetryAfter(value, now)).orElseGet(() -> backoff(attempt));
        return within(elapsed, delay, reason);
    }

    /** After no answer (an I/O error or timeout). */
    Decision afterNoAnswer(int attempt, Duration elapsed, String what) {
        return within(elapsed, backoff(attempt), what);
    }

    private Decision within(Duration elapsed, Duration delay, String reason) {
        if (elapsed.plus(delay).compareTo(budget) > 0) {
            return Decision.giveUp(reason + "; still failing after " + Durations.format(elapsed));
        }
        return Decision.after(delay, reason);
    }

    /** Exponential, with "equal jitter": half the step fixed, half random. */
    Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        long step = Math.min(max.toMillis(), initial.toMillis() * (1L << doublings));
        return Duration.ofMillis(step / 2 + (long) (random.getAsDouble() * (step - step / 2)));
    }

    /**
     * Retry-After as seconds or as an HTTP date; empty when unreadable. Never negative, at most
     * {@link #MAX_RETRY_AFTER}.
     */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
    }

    /**
     * How long to wait before asking for a job's status again: the server's Retry-After if it gave
     * one, else 1 s growing by half each time up to 5 s.
     *
     * @param polls the polls made so far, 1 after the first
     */
    static Duration pollDelay(int polls, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return retryAfter.get();
        }
        double seconds = Math.min(5.0, Math.pow(1.5, Math.max(0, polls - 1)));
        return Duration.ofMillis((long) (seconds * 1000));
    }
}
