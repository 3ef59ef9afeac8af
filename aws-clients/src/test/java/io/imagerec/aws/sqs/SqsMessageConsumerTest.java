package io.imagerec.aws.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.aws.sqs.SqsMessageConsumer.Outcome;
import io.imagerec.testsupport.TestCloud;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.aws.sqs.SqsMessage;
import io.smallrye.reactive.messaging.aws.sqs.ack.SqsDeleteAckHandler;
import io.smallrye.reactive.messaging.aws.sqs.fault.SqsVisibilityFailureHandler;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The message handling every consumer shares, against a real ElasticMQ through the connector's own
 * ack and failure handlers: what is deleted, what comes back and when, and that nothing that fails
 * escapes to the stream.
 */
class SqsMessageConsumerTest {

    private static final Duration SHORT = Duration.ofSeconds(3);

    private static TestCloud cloud;
    private static SqsAsyncClient sqs;
    private String queueUrl;
    private SqsQueue queue;

    @BeforeAll
    static void startCloud() throws Exception {
        cloud = TestCloud.start(false);
        cloud.config();
        sqs = SqsClients.consumer(Optional.of(URI.create("http://localhost:" + cloud.sqs().port())), TestCloud.REGION);
    }

    @AfterAll
    static void stopCloud() {
        sqs.close();
        cloud.close();
    }

    @BeforeEach
    void createQueue() {
        String name = "consumer-test-" + UUID.randomUUID();
        queueUrl = cloud.sqsClient().createQueue(b -> b.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")))
                .queueUrl();
        queue = new SqsQueue(sqs, name, Optional.empty());
    }

    @AfterEach
    void heal() throws Exception {
        cloud.healAll();
    }

    private SqsMessageConsumer consumer(Duration visibility, boolean claimFirst) {
        return new SqsMessageConsumer(queue, new SqsMessageConsumer.Settings(visibility, claimFirst,
                Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    private void send(String body) {
        cloud.sqsClient().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }

    /** Receives one message directly, as the connector would, and wraps it as the connector does. */
    private Message<String> receive(int visibilitySeconds) {
        var received = cloud.sqsClient().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(1)
                .visibilityTimeout(visibilitySeconds).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
        assertEquals(1, received.size(), "one message expected");
        return wrap(received.get(0));
    }

    private Message<String> wrap(software.amazon.awssdk.services.sqs.model.Message m) {
        Uni<String> url = Uni.createFrom().item(queueUrl);
        return new SqsMessage<>(m, null, new SqsDeleteAckHandler(sqs, url), new SqsVisibilityFailureHandler(sqs, url));
    }

    /** What a direct receive sees now, without hiding it for long. */
    private List<software.amazon.awssdk.services.sqs.model.Message> peek() {
        return cloud.sqsClient().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .visibilityTimeout(1).waitTimeSeconds(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    }

    private static void await(Uni<Void> consumed, Duration within) {
        assertNull(consumed.await().atMost(within), "consume completes normally");
    }

    @Test
    void anAcknowledgedMessageIsDeleted() {
        send("a");
        await(consumer(Duration.ofSeconds(30), true).consume(receive(30),
                () -> Uni.createFrom().item(Outcome.ack())), SHORT);
        assertEquals(0, count("ApproximateNumberOfMessages") + count("ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void aRetriedMessageComesBackAfterItsDelay() throws Exception {
        send("b");
        await(consumer(Duration.ofSeconds(30), true).consume(receive(30),
                () -> Uni.createFrom().item(Outcome.retry(Duration.ofSeconds(3), "try later"))), SHORT);
        assertTrue(peek().isEmpty(), "hidden during the delay");
        Thread.sleep(3500);
        var back = peek();
        assertEquals(1, back.size());
        assertEquals("2", back.get(0).attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
    }

    @Test
    void workThatFailsIsRetriedAndTheFailureDoesNotEscape() throws Exception {
        send("c");
        await(consumer(Duration.ofSeconds(30), true).consume(receive(30),
                () -> Uni.createFrom().failure(new IllegalStateException("boom"))), SHORT);
        Thread.sleep(1500);
        assertEquals(1, peek().size(), "back after the unexpected-failure delay (1 s)");
    }

    @Test
    void theHeartbeatKeepsLongWorkHiddenFromOtherConsumers() {
        send("d");
        Message<String> message = receive(2);
        Uni<Void> consumed = consumer(Duration.ofSeconds(3), true).consume(message,
                () -> Uni.createFrom().item(Outcome.ack()).onItem().delayIt().by(Duration.ofSeconds(6)));
        var running = consumed.subscribeAsCompletionStage();
        for (int i = 0; i < 5; i++) {
            assertTrue(peek().isEmpty(), "still hidden after " + i + " s of a 2 s receive visibility");
            sleep(1000);
        }
        running.toCompletableFuture().join();
        assertEquals(0, count("ApproximateNumberOfMessages") + count("ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void aMessageDeliveredAgainWhileItWaitedIsNotWorkedOn() throws Exception {
        send("e");
        Message<String> stale = receive(1);
        Thread.sleep(1500);
        receive(30); // another consumer now holds it
        AtomicInteger worked = new AtomicInteger();
        await(consumer(Duration.ofSeconds(30), true).consume(stale, () -> {
            worked.incrementAndGet();
            return Uni.createFrom().item(Outcome.ack());
        }), SHORT);
        assertEquals(0, worked.get(), "the claim failed, so the paid work did not run");
        assertEquals(1, count("ApproximateNumberOfMessagesNotVisible"), "left to the consumer that holds it");
    }

    @Test
    void anAckThatFailsDoesNotEscape() {
        send("f");
        Message<String> message = receive(30);
        cloud.sqsClient().purgeQueue(b -> b.queueUrl(queueUrl));
        await(consumer(Duration.ofSeconds(30), false).consume(message, () -> Uni.createFrom().item(Outcome.ack())),
                SHORT);
    }

    @Test
    void anUnreachableQueueBoundsTheAckAndDoesNotEscape() throws Exception {
        send("g");
        Message<String> message = receive(30);
        cloud.sqs().refuse();
        long start = System.nanoTime();
        await(consumer(Duration.ofSeconds(30), false).consume(message, () -> Uni.createFrom().item(Outcome.ack())),
                Duration.ofSeconds(10));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000, "gave up after the call timeout");
        cloud.sqs().pass();
        assertEquals(1, count("ApproximateNumberOfMessagesNotVisible"), "not deleted: it comes back by itself");
    }

    @Test
    void drainingReleasesRunningWorkAndRefusesNewWork() throws Exception {
        send("h");
        send("i");
        SqsMessageConsumer consumer = consumer(Duration.ofSeconds(30), true);
        AtomicInteger started = new AtomicInteger();
        var running = consumer.consume(receive(30), () -> {
            started.incrementAndGet();
            return Uni.createFrom().<Outcome>nothing();
        }).subscribeAsCompletionStage();
        Message<String> second = receive(30);
        awaitTrue(() -> started.get() == 1);
        assertEquals(1, consumer.drain(Duration.ofMillis(500)));
        running.toCompletableFuture().join();
        assertTrue(consumer.draining());
        AtomicInteger worked = new AtomicInteger();
        await(consumer.consume(second, () -> {
            worked.incrementAndGet();
            return Uni.createFrom().item(Outcome.ack());
        }), SHORT);
        assertEquals(0, worked.get());
        assertEquals(2, peek().size(), "both visible again at once");
    }

    private long count(String attribute) {
        return Long.parseLong(cloud.sqsClient().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNamesWithStrings(attribute)).attributesAsStrings().get(attribute));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + SHORT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "condition not met in time");
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
