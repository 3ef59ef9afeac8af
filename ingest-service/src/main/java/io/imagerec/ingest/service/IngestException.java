package io.imagerec.ingest.service;

/** An upload that cannot be accepted: HTTP status, stable error code, and for 503 a Retry-After. */
public class IngestException extends RuntimeException {

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;

    public IngestException(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    public IngestException(int status, String code, String message, Integer retryAfterSeconds, Throwable cause) {
        super(message, cause);
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

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
