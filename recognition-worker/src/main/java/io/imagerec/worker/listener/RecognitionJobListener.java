package io.imagerec.worker.listener;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.imagerec.worker.service.JobProcessor;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.aws.sqs.SqsIncomingMetadata;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Consumes {@code recognition-jobs} (SmallRye SQS connector). A message is acknowledged (deleted) only
 * after its final result is on the results queue; otherwise it is released to come back after a
 * back-off. Every path ends in an ack or a nack and none fails the stream ({@link SqsMessageConsumer}).
 * Concurrency is the channel's {@code concurrency} setting.
 */
@ApplicationScoped
public class RecognitionJobListener {

    private final JobProcessor processor;
    private final SqsMessageConsumer consumer;

    public RecognitionJobListener(JobProcessor processor, SqsMessageConsumer consumer) {
        this.processor = processor;
        this.consumer = consumer;
    }

    @Incoming("recognition-jobs")
    public Uni<Void> onJob(Message<String> message) {
        return consumer.consume(message, () -> processor.process(message.getPayload(), receiveCount(message)));
    }

    static int receiveCount(Message<?> message) {
        return message.getMetadata(SqsIncomingMetadata.class)
                .map(m -> m.getMessage().attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .map(Integer::parseInt)
                .orElse(1);
    }
}
