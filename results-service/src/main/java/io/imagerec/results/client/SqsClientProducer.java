package io.imagerec.results.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.imagerec.aws.sqs.DeadLetterQueue;
import io.imagerec.aws.sqs.SqsClients;
import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.imagerec.aws.sqs.SqsQueue;
import io.imagerec.results.config.ResultsConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The SQS client the SmallRye SQS connector uses for {@code recognition-results} (its channel names no
 * region), and the message handling of that queue.
 */
@ApplicationScoped
public class SqsClientProducer {

    @Produces
    @ApplicationScoped
    SqsAsyncClient sqs(ResultsConfig config) {
        return SqsClients.consumer(config.sqs().endpoint(), config.sqs().region());
    }

    @Produces
    @ApplicationScoped
    SqsQueue resultsQueue(SqsAsyncClient sqs, ResultsConfig config) {
        return new SqsQueue(sqs, config.queue().name(), config.queue().url());
    }

    /** A result is cheap to apply, so it is not claimed first; the heartbeat covers long database waits. */
    @Produces
    @ApplicationScoped
    SqsMessageConsumer resultsConsumer(SqsQueue results, ResultsConfig config) {
        return new SqsMessageConsumer(results, new SqsMessageConsumer.Settings(config.queue().visibility(), false,
                config.sqs().callTimeout(), Duration.ofSeconds(10)));
    }

    @Produces
    @ApplicationScoped
    DeadLetterQueue resultsDeadLetters(SqsQueue results, ResultsConfig config) {
        return new DeadLetterQueue(results, config.sqs().callTimeout());
    }

    void close(@Disposes SqsAsyncClient client) {
        client.close();
    }
}
