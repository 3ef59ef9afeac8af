package io.imagerec.worker.service;

import java.util.Set;
import java.util.concurrent.CompletionException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The one place that tells a job's permanent failures from transient ones. Permanent: Rekognition
 * refused the request itself (the image, its size, a parameter, or the S3 object is missing or not
 * readable), which the same request will always get again. Everything else (timeouts, connection
 * errors, throttling, 5xx, an SQS outage while publishing) is transient and the job is tried again.
 */
public final class JobFailures {

    /** Rekognition's error codes for requests that can never succeed. */
    static final Set<String> PERMANENT_ERRORS = Set.of("InvalidImageFormatException", "ImageTooLargeException",
            "InvalidParameterException", "InvalidS3ObjectException", "ValidationException");

    private JobFailures() {
    }

    /** The Rekognition error code when the failure is permanent for this job, otherwise null. */
    public static String permanentErrorCode(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && PERMANENT_ERRORS.contains(aws.awsErrorDetails().errorCode())) {
            return aws.awsErrorDetails().errorCode();
        }
        return null;
    }

    /** The failure without the wrappers of the async machinery. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
