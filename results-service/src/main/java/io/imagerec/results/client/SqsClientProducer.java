package io.imagerec.results.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.imagerec.aws.SqsClients;
import io.imagerec.results.config.ResultsConfig;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The SQS client the SmallRye SQS connector uses for {@code recognition-results} (its channel names no region). */
@ApplicationScoped
public class SqsClientProducer {

    @Produces
    @ApplicationScoped
    SqsAsyncClient sqs(ResultsConfig config) {
        return SqsClients.consumer(config.sqs().endpoint(), config.sqs().region(), config.sqs().maxAttempts());
    }

    void close(@Disposes SqsAsyncClient client) {
        client.close();
    }
}
