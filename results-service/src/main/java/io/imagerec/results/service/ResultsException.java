package io.imagerec.results.service;

/** A request the results API refuses: HTTP status and stable error code. */
public class ResultsException extends RuntimeException {

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;

    public ResultsException(int status, String code, String message) {
        this(status, code, message, null);
    }

    /** A refusal that tells the client when to try again ({@code Retry-After}). */
    public ResultsException(int status, String code, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for {@code Retry-After}, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
