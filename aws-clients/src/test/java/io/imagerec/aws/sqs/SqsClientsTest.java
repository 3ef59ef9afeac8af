package io.imagerec.aws.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.imagerec.testsupport.TestCloud;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * A receive sent with {@link SqsClients#receiveWithoutEnd} through a client with the SDK's short retries
 * and a short call timeout (the request path's client of ingest) rides out an SQS outage and returns
 * what was sent once SQS is back; without it the same receive fails within seconds (and the connector
 * would end the channel for good).
 */
class SqsClientsTest {

    private static TestCloud cloud;
    private static SqsAsyncClient shortLived;
    private static String queueUrl;

    @BeforeAll
    static void start() throws Exception {
        cloud = TestCloud.start(false);
        cloud.config();
        shortLived = SqsAsyncClient.builder().region(Region.of(TestCloud.REGION))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .endpointOverride(URI.create("http://localhost:" + cloud.sqs().port()))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(2)))
                .build();
        queueUrl = cloud.sqsClient().createQueue(b -> b.queueName("receive-test-" + UUID.randomUUID())).queueUrl();
    }

    @AfterAll
    static void stop() {
        shortLived.close();
        cloud.close();
    }

    @AfterEach
    void heal() throws Exception {
        cloud.healAll();
    }

    @Test
    void aReceiveWithoutEndWaitsOutAnOutageAndThenReceives() throws Exception {
        cloud.sqs().refuse();
        CompletableFuture<ReceiveMessageResponse> receive = shortLived.receiveMessage(b -> {
            b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(1);
            SqsClients.receiveWithoutEnd(b);
        });
        Thread.sleep(6_000);
        assertFalse(receive.isDone(), "still trying after 6 s of refused connections: " + receive);

        cloud.sqs().pass();
        cloud.sqsClient().sendMessage(b -> b.queueUrl(queueUrl).messageBody("after the outage"));
        ReceiveMessageResponse received = receive.get(30, TimeUnit.SECONDS);
        if (received.messages().isEmpty()) {
            // The attempt that succeeded may have polled before the send; the next poll takes it.
            received = shortLived.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        assertEquals("after the outage", received.messages().get(0).body());
    }

    @Test
    void theSameReceiveWithoutItFailsWithinSeconds() throws Exception {
        cloud.sqs().refuse();
        CompletableFuture<ReceiveMessageResponse> receive = shortLived.receiveMessage(b -> b.queueUrl(queueUrl)
                .waitTimeSeconds(1).maxNumberOfMessages(1));
        assertThrows(ExecutionException.class, () -> receive.get(6, TimeUnit.SECONDS));
    }
}
