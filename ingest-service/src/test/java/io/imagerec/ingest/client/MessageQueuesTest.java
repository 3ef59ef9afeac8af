package io.imagerec.ingest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.imagerec.ingest.config.IngestConfig;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A send through the SDK's batch manager whose batch call never answers (the SQS client's future is never
 * completed) fails after {@code ingest.send-deadline} as a timeout, so the upload waiting on it answers
 * instead of hanging; the timeout counts as an unknown outcome (SendOutcomesTest).
 */
class MessageQueuesTest {

    @Test
    void aSendThatNeverEndsFailsAtTheDeadlineAsATimeout() {
        AtomicInteger batchCalls = new AtomicInteger();
        SqsAsyncClient silent = new SqsAsyncClient() {
            @Override
            public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
                batchCalls.incrementAndGet();
                return new CompletableFuture<>(); // never completed
            }

            @Override
            public String serviceName() {
                return "sqs";
            }

            @Override
            public void close() {
            }
        };
        MessageQueues queues = new MessageQueues(silent, config(Duration.ofSeconds(3)));
        try {
            long start = System.nanoTime();
            Throwable failure = assertThrows(Throwable.class,
                    () -> queues.sendJob("{}").await().atMost(Duration.ofSeconds(30)));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertInstanceOf(ApiCallTimeoutException.class, failure, String.valueOf(failure));
            assertTrue(tookMs >= 2_900 && tookMs < 25_000, "failed after " + tookMs + " ms");
            assertEquals(1, batchCalls.get(), "the message left in one batch call");
        } finally {
            queues.close();
        }
    }

    private static IngestConfig config(Duration deadline) {
        IngestConfig.Queue jobs = queue("https://sqs.example/1/jobs");
        IngestConfig.Queue results = queue("https://sqs.example/1/results");
        return (IngestConfig) Proxy.newProxyInstance(IngestConfig.class.getClassLoader(),
                new Class<?>[] {IngestConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "sendDeadline" -> deadline;
                    case "sendBatchWindow" -> Duration.ofMillis(5);
                    case "jobs" -> jobs;
                    case "results" -> results;
                    case "toString" -> "test config";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static IngestConfig.Queue queue(String url) {
        return new IngestConfig.Queue() {
            @Override
            public Optional<String> url() {
                return Optional.of(url);
            }

            @Override
            public String name() {
                return url.substring(url.lastIndexOf('/') + 1);
            }
        };
    }
}
