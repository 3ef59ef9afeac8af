package io.imagerec.worker.listener;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.aws.sqs.SqsReceiveMessageRequestCustomizer;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Asks SQS for each message's receive count, which tells the worker which attempt it is on; and once
 * the worker is shutting down, holds receives back ({@link SqsMessageConsumer#beforeReceive}).
 */
@ApplicationScoped
@Identifier("recognition-jobs")
public class ReceiveCountCustomizer implements SqsReceiveMessageRequestCustomizer {

    private final SqsMessageConsumer consumer;

    public ReceiveCountCustomizer(SqsMessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public void customize(ReceiveMessageRequest.Builder builder) {
        builder.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        consumer.beforeReceive(builder);
    }
}
