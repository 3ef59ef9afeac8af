package io.imagerec.worker.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedAsyncClient;
import com.amazon.sqs.javamessaging.ExtendedAsyncClientConfiguration;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.aws.sqs.SqsQueue;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.worker.config.WorkerConfig;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Sends status events and results to the results queue; completes once SQS has stored the message.
 * A result larger than a queue message is stored in S3 first and the message carries a pointer to it
 * (a claim check, in the format of AWS's SQS Extended Client Library, which does the storing).
 */
@ApplicationScoped
public class ResultPublisher {

    /** Where oversized results are stored in the payload bucket. */
    public static final String PAYLOAD_PREFIX = "results/";

    private final SqsAsyncClient sqs;
    private final SqsQueue queue;
    private final ObjectMapper json;
    private final Duration timeout;

    public ResultPublisher(SqsAsyncClient sqs, S3AsyncClient s3, ObjectMapper json, WorkerConfig config) {
        this.sqs = new AmazonSQSExtendedAsyncClient(sqs, new ExtendedAsyncClientConfiguration()
                .withPayloadSupportEnabled(s3, config.results().payloadBucket())
                .withS3KeyPrefix(PAYLOAD_PREFIX)
                .withLegacyReservedAttributeNameDisabled()
                .withPayloadSizeThreshold(config.results().maxMessageBytes()));
        this.queue = new SqsQueue(sqs, config.results().name(), config.results().url());
        this.json = json;
        this.timeout = config.sqs().callTimeout();
    }

    public Uni<Void> publish(RecognitionResult result) {
        return Uni.createFrom().item(() -> write(result))
                .chain(body -> queue.url().chain(url -> Uni.createFrom().completionStage(
                        () -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)))))
                .ifNoItem().after(timeout).fail()
                .replaceWithVoid();
    }

    private String write(RecognitionResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result could not be written as JSON", e);
        }
    }
}
