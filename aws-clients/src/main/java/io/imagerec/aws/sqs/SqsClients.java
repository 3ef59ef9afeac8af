package io.imagerec.aws.sqs;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The SQS client of every queue consumer, with the platform's one retry policy for it: exponential
 * back-off from 200 ms to 5 s, attempts without limit, no circuit breaker. The SmallRye SQS connector
 * ends a channel for good when a receive fails with a client-side error (connection refused), so the
 * receives must ride out an outage of any length; every other call made with this client is bounded
 * by a timeout where it is made ({@link SqsMessageConsumer}). Request paths (ingest) keep the SDK's
 * short default instead and answer 503.
 */
public final class SqsClients {

    /** Longest a single attempt may take: above the 20 s maximum of a long poll. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);

    /** A call timeout that never ends a receive: the client's own may be short. */
    static final Duration WITHOUT_END = Duration.ofDays(365);

    private SqsClients() {
    }

    /**
     * Attempts without limit, exponential back-off from 200 ms to 5 s, no circuit breaker; on what AWS's
     * standard strategy retries (set at the request, the SDK adds no conditions of its own).
     */
    static RetryStrategy endless() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                // Every client-side failure too: the SDK's conditions leave out some (a connection-pool
                // acquire timeout, seen under load), and one failed receive ends a connector channel.
                .retryOnExceptionInstanceOf(SdkClientException.class)
                .maxAttempts(Integer.MAX_VALUE)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(5)))
                .circuitBreakerEnabled(false)
                .build();
    }

    /**
     * Makes one receive ride out an outage of any length whatever client sends it: for a channel of the
     * connector whose client is not {@link #consumer} (in ingest the default client is the request
     * path's, with the SDK's short retries), called from the channel's receive customizer.
     */
    public static void receiveWithoutEnd(ReceiveMessageRequest.Builder receive) {
        receive.overrideConfiguration(o -> o.apiCallTimeout(WITHOUT_END).apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .addPlugin(config -> config.overrideConfiguration(c -> c.retryStrategy(endless()))));
    }

    /**
     * @param endpoint an endpoint override (local-cloud), or empty for AWS's regional endpoint
     */
    public static SqsAsyncClient consumer(Optional<URI> endpoint, String region) {
        var builder = SqsAsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).retryStrategy(endless()));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
