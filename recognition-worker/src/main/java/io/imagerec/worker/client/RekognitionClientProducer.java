package io.imagerec.worker.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.imagerec.aws.trace.SdkTracing;
import io.imagerec.worker.config.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.rekognition.RekognitionAsyncClient;

/**
 * The Rekognition async client (no Quarkus extension is served here): the default credentials chain
 * and region from configuration; an endpoint override points it at rekognition-local. Throttles
 * (ThrottlingException, ProvisionedThroughputExceededException) and other transient errors are retried
 * by the SDK's retry strategy, within {@code worker.rekognition.call-timeout}; what is still failing
 * after that goes back to the job's own retry (JobProcessor).
 */
@ApplicationScoped
public class RekognitionClientProducer {

    @Produces
    @ApplicationScoped
    RekognitionAsyncClient rekognition(WorkerConfig config, MeterRegistry metrics, Tracer tracer) {
        var builder = RekognitionAsyncClient.builder()
                .region(Region.of(config.rekognition().region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(config.rekognition().maxConnections()))
                .overrideConfiguration(c -> c.apiCallTimeout(config.rekognition().callTimeout())
                        .retryStrategy(retries(config.rekognition(), metrics))
                        // A client span per call, and its traceparent on the request for the engine.
                        .addExecutionInterceptor(new SdkTracing(tracer)));
        config.rekognition().endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    static RetryStrategy retries(WorkerConfig.Rekognition config, MeterRegistry metrics) {
        RetryStrategy sdk = switch (config.retryMode()) {
            // No circuit breaker: the worker's concurrency already bounds its retries, and a tripped
            // breaker would turn a throttle into a failed attempt of the job (one of its five receives).
            case STANDARD -> AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(config.maxAttempts()).circuitBreakerEnabled(false).build();
            case ADAPTIVE -> AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                    .maxAttempts(config.maxAttempts()).build();
        };
        CallBudget budget = config.callsPerSecond().map(CallBudget::new).orElse(null);
        return new RekognitionRetries(sdk, budget, metrics);
    }

    void close(@Disposes RekognitionAsyncClient client) {
        client.close();
    }
}
