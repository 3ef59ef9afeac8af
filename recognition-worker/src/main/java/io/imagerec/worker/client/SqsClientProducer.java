package io.imagerec.worker.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.imagerec.worker.config.WorkerConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The one SQS client of the worker, used by the SmallRye SQS connector (which picks up this bean when
 * its channel names no region) and by the result publisher. Its retries ride out an SQS outage of a
 * few minutes: the connector gives up on a receive that fails with a client-side error, which would
 * otherwise stop consumption for good.
 */
@ApplicationScoped
public class SqsClientProducer {

    @Produces
    @ApplicationScoped
    SqsAsyncClient sqs(WorkerConfig config) {
        var builder = SqsAsyncClient.builder()
                .region(Region.of(config.rekognition().region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(c -> c.retryStrategy(StandardRetryStrategy.builder()
                        .maxAttempts(config.sqs().maxAttempts())
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(5)))
                        .circuitBreakerEnabled(false)
                        .build()));
        config.sqs().endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes SqsAsyncClient client) {
        client.close();
    }
}
