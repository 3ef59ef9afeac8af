package io.imagerec.results.listener;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.aws.sqs.SqsReceiveMessageRequestCustomizer;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Holds receives back while the database is down ({@link SqsMessageConsumer#pauseReceives}) and while
 * the service shuts down ({@link SqsMessageConsumer#beforeReceive}).
 */
@ApplicationScoped
@Identifier("recognition-results")
public class ReceiveCustomizer implements SqsReceiveMessageRequestCustomizer {

    private final SqsMessageConsumer consumer;

    public ReceiveCustomizer(SqsMessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public void customize(ReceiveMessageRequest.Builder builder) {
        consumer.beforeReceive(builder);
    }
}
