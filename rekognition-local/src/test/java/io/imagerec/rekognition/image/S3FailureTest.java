package io.imagerec.rekognition.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How S3's answers turn into Rekognition's errors (the cases a local S3 cannot be made to give). */
class S3FailureTest {

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    @Test
    void refusalsOfTheObjectAreInvalidS3Object() {
        assertEquals("InvalidS3ObjectException", ImageSource.s3Failure(s3(403, "AccessDenied")).type());
        assertEquals("InvalidS3ObjectException", ImageSource.s3Failure(s3(404, "NoSuchKey")).type());
        assertEquals("InvalidS3ObjectException", ImageSource.s3Failure(s3(301, "PermanentRedirect")).type());
        assertEquals("InvalidS3ObjectException", ImageSource.s3Failure(s3(400, "InvalidBucketName")).type());
    }

    @Test
    void throttlingAndOutagesAreRetryable() {
        assertEquals("ThrottlingException", ImageSource.s3Failure(s3(503, "SlowDown")).type());
        assertEquals("ThrottlingException", ImageSource.s3Failure(s3(429, "TooManyRequests")).type());
        assertEquals("InternalServerError", ImageSource.s3Failure(s3(408, "RequestTimeout")).type());
        assertEquals("InternalServerError", ImageSource.s3Failure(s3(500, "InternalError")).type());
        assertEquals(500, ImageSource.s3Failure(s3(500, "InternalError")).status());
        assertEquals("InternalServerError",
                ImageSource.s3Failure(SdkClientException.create("Unable to execute HTTP request: Connection refused")).type());
    }
}
