package io.imagerec.ingest.direct;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.aws.sqs.SqsClients;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.aws.sqs.SqsReceiveMessageRequestCustomizer;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Every receive of the {@code image-uploads} channel rides out an SQS outage of any length: the
 * connector's own client has the SDK's short retries, and a receive that fails ends the channel for
 * good, so after an outage no upload event would be read again until ingest restarts.
 */
@ApplicationScoped
@Identifier("image-uploads")
public class UploadEventsReceives implements SqsReceiveMessageRequestCustomizer {

    private final UploadEventsConsumer consumer;

    public UploadEventsReceives(UploadEventsConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public void customize(ReceiveMessageRequest.Builder receive) {
        consumer.get().beforeReceive(receive);
        SqsClients.receiveWithoutEnd(receive);
    }
}
