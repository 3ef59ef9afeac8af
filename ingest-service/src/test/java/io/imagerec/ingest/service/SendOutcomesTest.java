package io.imagerec.ingest.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Which failed sends certainly stored nothing (the cases a fault proxy does not produce in one run). */
class SendOutcomesTest {

    private static SdkClientException failed(Throwable lastCause, String... earlierAttempts) {
        SdkClientException e = SdkClientException.builder().message("Unable to execute HTTP request").cause(lastCause)
                .build();
        int n = 1;
        for (String earlier : earlierAttempts) {
            e.addSuppressed(SdkClientException.create("Request attempt " + n++ + " failure: " + earlier));
        }
        return e;
    }

    @Test
    void everyAttemptRefusedMeansNothingWasSent() {
        assertTrue(SendOutcomes.certainlyNotSent(failed(new ConnectException("Connection refused"),
                "Unable to execute HTTP request: Connection refused")));
        // The Netty client names the address after the reason.
        assertTrue(SendOutcomes.certainlyNotSent(failed(new ConnectException("Connection refused"),
                "Unable to execute HTTP request: Connection refused: localhost/127.0.0.1:9324")));
    }

    @Test
    void oneTimedOutAttemptMakesTheOutcomeUnknown() {
        assertFalse(SendOutcomes.certainlyNotSent(failed(new ConnectException("Connection refused"),
                "Unable to execute HTTP request: Read timed out")));
        assertFalse(SendOutcomes.certainlyNotSent(failed(new SocketTimeoutException("Read timed out"))));
        // The SDK's api-call timeout, and ingest's own send deadline (MessageQueues), end the same way.
        assertFalse(SendOutcomes.certainlyNotSent(ApiCallTimeoutException.create(20_000)));
    }

    @Test
    void aClientErrorFromSqsStoredNothingButAServerErrorMayHave() {
        assertTrue(SendOutcomes.certainlyNotSent(SqsException.builder().statusCode(400).message("bad").build()));
        assertFalse(SendOutcomes.certainlyNotSent(SqsException.builder().statusCode(500).message("oops").build()));
    }
}
