package io.imagerec.worker.client;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.RecognitionResult;
import io.imagerec.worker.config.WorkerConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** Sends status events and results to the results queue; completes once SQS has stored the message. */
@ApplicationScoped
public class ResultPublisher {

    private final SqsAsyncClient sqs;
    private final ObjectMapper json;
    private final WorkerConfig.ResultsQueue queue;
    private volatile CompletableFuture<String> queueUrl;

    public ResultPublisher(SqsAsyncClient sqs, ObjectMapper json, WorkerConfig config) {
        this.sqs = sqs;
        this.json = json;
        this.queue = config.results();
    }

    public CompletableFuture<Void> publish(RecognitionResult result) {
        String body;
        try {
            body = json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return url().thenCompose(url -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body))).thenAccept(r -> { });
    }

    private CompletableFuture<String> url() {
        CompletableFuture<String> url = queueUrl;
        if (url == null || url.isCompletedExceptionally()) {
            url = queue.url().map(CompletableFuture::completedFuture)
                    .orElseGet(() -> sqs.getQueueUrl(b -> b.queueName(queue.name())).thenApply(r -> r.queueUrl()));
            queueUrl = url;
        }
        return url;
    }
}
