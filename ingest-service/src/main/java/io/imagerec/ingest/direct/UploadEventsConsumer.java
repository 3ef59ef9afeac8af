package io.imagerec.ingest.direct;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.imagerec.aws.sqs.SqsQueue;
import io.imagerec.ingest.config.IngestConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The message handling of the {@code image-uploads} queue: every message ends acked or released. */
@ApplicationScoped
public class UploadEventsConsumer {

    private final SqsMessageConsumer consumer;

    public UploadEventsConsumer(SqsAsyncClient sqs, IngestConfig config) {
        IngestConfig.Queue queue = config.uploadEvents();
        this.consumer = new SqsMessageConsumer(new SqsQueue(sqs, queue.name(), queue.url()),
                new SqsMessageConsumer.Settings(Duration.ofSeconds(30), false, Duration.ofSeconds(15),
                        Duration.ofSeconds(5)));
    }

    SqsMessageConsumer get() {
        return consumer;
    }
}
