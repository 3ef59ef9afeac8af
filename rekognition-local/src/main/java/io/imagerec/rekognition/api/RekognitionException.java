package io.imagerec.rekognition.api;

/**
 * An error as Amazon Rekognition reports it: an exception name ({@code __type}), a message and an
 * HTTP status. The names are the stable error codes clients switch on.
 */
public class RekognitionException extends RuntimeException {

    private final String type;
    private final int status;
    private boolean bodyUnread;

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

    /** Marks a refusal made before the request body was all read: the connection is closed after it. */
    public RekognitionException leavingBodyUnread() {
        this.bodyUnread = true;
        return this;
    }

    public boolean bodyUnread() {
        return bodyUnread;
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

    /** A NextToken this service did not issue (ListCollections, ListFaces). */
    public static RekognitionException invalidPaginationToken(String message) {
        return new RekognitionException("InvalidPaginationTokenException", 400, message);
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
                "Operation " + LogText.clean(target) + " is not supported by this endpoint");
    }

    /**
     * The body is not JSON, or a member has the wrong JSON type: AWS's JSON protocol answers these with
     * SerializationException (400) before an operation sees the request.
     */
    public static RekognitionException serialization(String message) {
        return new RekognitionException("SerializationException", 400, message);
    }

    /** No Authorization header: AWS's common error for an unsigned request to a JSON service. */
    public static RekognitionException missingAuthenticationToken() {
        return new RekognitionException("MissingAuthenticationTokenException", 400, "Missing Authentication Token");
    }

    /** An Authorization header that is not a complete SigV4 one (AWS's IncompleteSignatureException, 400). */
    public static RekognitionException incompleteSignature(String message) {
        return new RekognitionException("IncompleteSignatureException", 400, message);
    }

    /** An access key id the engine does not accept; the id itself is never echoed. */
    public static RekognitionException unrecognizedClient() {
        return new RekognitionException("UnrecognizedClientException", 403,
                "The security token included in the request is invalid.");
    }

    /** A wrong signature, or one outside the clock-skew window ("Signature expired"). */
    public static RekognitionException invalidSignature(String message) {
        return new RekognitionException("InvalidSignatureException", 403, message);
    }

    public static RekognitionException accessDenied(String message) {
        return new RekognitionException("AccessDeniedException", 400, message);
    }

    public static RekognitionException internal(String message) {
        return new RekognitionException("InternalServerError", 500, message);
    }
}
