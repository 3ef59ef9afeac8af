package io.imagerec.rekognition.api;

/**
 * An error as Amazon Rekognition reports it: an exception name ({@code __type}), a message and an
 * HTTP status. The names are the stable error codes clients switch on.
 */
public class RekognitionException extends RuntimeException {

    private final String type;
    private final int status;

    public RekognitionException(String type, int status, String message) {
        super(message);
        this.type = type;
        this.status = status;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public static RekognitionException invalidImageFormat(String message) {
        return new RekognitionException("InvalidImageFormatException", 400, message);
    }

    public static RekognitionException imageTooLarge(String message) {
        return new RekognitionException("ImageTooLargeException", 400, message);
    }

    public static RekognitionException invalidParameter(String message) {
        return new RekognitionException("InvalidParameterException", 400, message);
    }

    public static RekognitionException invalidS3Object(String message) {
        return new RekognitionException("InvalidS3ObjectException", 400, message);
    }

    public static RekognitionException resourceNotFound(String message) {
        return new RekognitionException("ResourceNotFoundException", 400, message);
    }

    public static RekognitionException resourceAlreadyExists(String message) {
        return new RekognitionException("ResourceAlreadyExistsException", 400, message);
    }

    /** A server fault in Rekognition's service model, so 500, like InternalServerError. */
    public static RekognitionException throttling(String message) {
        return new RekognitionException("ThrottlingException", 500, message);
    }

    /** Over the account's calls-per-second quota: a client error in Rekognition's service model, 400. */
    public static RekognitionException provisionedThroughputExceeded(String message) {
        return new RekognitionException("ProvisionedThroughputExceededException", 400, message);
    }

    public static RekognitionException unknownOperation(String target) {
        return new RekognitionException("UnknownOperationException", 400,
                "Operation " + target + " is not supported by this endpoint");
    }

    public static RekognitionException accessDenied(String message) {
        return new RekognitionException("AccessDeniedException", 400, message);
    }

    public static RekognitionException internal(String message) {
        return new RekognitionException("InternalServerError", 500, message);
    }
}
