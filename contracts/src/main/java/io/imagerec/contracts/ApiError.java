package io.imagerec.contracts;

/**
 * The one error body of every service's REST API: {@code {"error": {"code": ..., "message": ...}}}.
 * Codes are stable and documented in the README; messages are for people.
 */
public record ApiError(Detail error) {

    public record Detail(String code, String message) {
    }

    public static ApiError of(String code, String message) {
        return new ApiError(new Detail(code, message));
    }
}
