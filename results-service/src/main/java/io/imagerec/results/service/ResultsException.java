package io.imagerec.results.service;

/** A request the results API refuses: HTTP status and stable error code. */
public class ResultsException extends RuntimeException {

    private final int status;
    private final String code;

    public ResultsException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
