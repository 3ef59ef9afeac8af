package io.imagerec.worker.listener;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.imagerec.worker.service.JobProcessor;
import io.smallrye.reactive.messaging.aws.sqs.SqsIncomingMetadata;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Consumes {@code recognition-jobs} (SmallRye SQS connector). A message is acknowledged (deleted)
 * only after its final result is on the results queue; otherwise it is left to come back after the
 * visibility timeout. Concurrency is the channel's {@code concurrency} setting.
 */
@ApplicationScoped
public class RecognitionJobListener {

    private final JobProcessor processor;

    public RecognitionJobListener(JobProcessor processor) {
        this.processor = processor;
    }

    @Incoming("recognition-jobs")
    public CompletionStage<Void> onJob(Message<String> message) {
        return processor.process(message.getPayload(), receiveCount(message))
                .thenCompose(outcome -> outcome == JobProcessor.Outcome.ACK ? message.ack()
                        : message.nack(new IllegalStateException("job left for redelivery")));
    }

    static int receiveCount(Message<?> message) {
        return message.getMetadata(SqsIncomingMetadata.class)
                .map(m -> m.getMessage().attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .map(Integer::parseInt)
                .orElse(1);
    }
}
