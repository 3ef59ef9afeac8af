package io.imagerec.worker.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.imagerec.aws.sqs.DeadLetterQueue;
import io.imagerec.aws.sqs.SqsQueue;
import io.imagerec.aws.sqs.SqsClients;
import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.imagerec.worker.config.WorkerConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The one SQS client of the worker, used by the SmallRye SQS connector (which picks up this bean when
 * its channel names no region) and by the result publisher; and the message handling of the jobs queue.
 */
@ApplicationScoped
public class SqsClientProducer {

    @Produces
    @ApplicationScoped
    SqsAsyncClient sqs(WorkerConfig config) {
        return SqsClients.consumer(config.sqs().endpoint(), config.rekognition().region());
    }

    @Produces
    @ApplicationScoped
    SqsQueue jobsQueue(SqsAsyncClient sqs, WorkerConfig config) {
        return new SqsQueue(sqs, config.jobs().name(), config.jobs().url());
    }

    /** Jobs are expensive (paid Rekognition calls), so each is claimed before work starts. */
    @Produces
    @ApplicationScoped
    SqsMessageConsumer jobsConsumer(SqsQueue jobs, WorkerConfig config) {
        return new SqsMessageConsumer(jobs, new SqsMessageConsumer.Settings(config.jobs().visibility(), true,
                config.sqs().callTimeout(), config.jobs().retryInitialDelay()));
    }

    @Produces
    @ApplicationScoped
    DeadLetterQueue jobsDeadLetters(SqsQueue jobs, WorkerConfig config) {
        return new DeadLetterQueue(jobs, config.sqs().callTimeout());
    }

    void close(@Disposes SqsAsyncClient client) {
        client.close();
    }
}
