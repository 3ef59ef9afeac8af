package io.imagerec.worker.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.imagerec.aws.SqsClients;
import io.imagerec.worker.config.WorkerConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The one SQS client of the worker, used by the SmallRye SQS connector (which picks up this bean when
 * its channel names no region) and by the result publisher.
 */
@ApplicationScoped
public class SqsClientProducer {

    @Produces
    @ApplicationScoped
    SqsAsyncClient sqs(WorkerConfig config) {
        return SqsClients.consumer(config.sqs().endpoint(), config.rekognition().region(), config.sqs().maxAttempts());
    }

    void close(@Disposes SqsAsyncClient client) {
        client.close();
    }
}
