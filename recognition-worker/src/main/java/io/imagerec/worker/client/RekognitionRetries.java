package io.imagerec.worker.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * The Rekognition client's retry strategy: the AWS SDK's own (standard or adaptive; throttling errors,
 * ThrottlingException and ProvisionedThroughputExceededException among them, are retried with
 * exponential back-off and full jitter), plus two things the SDK lacks: the optional
 * {@link CallBudget}, whose wait is added to the SDK's own before every attempt, and a count of the
 * throttles the worker was answered ({@code worker.rekognition.throttled}).
 */
final class RekognitionRetries implements RetryStrategy {

    private final RetryStrategy sdk;
    private final CallBudget budget;
    private final MeterRegistry metrics;

    RekognitionRetries(RetryStrategy sdk, CallBudget budget, MeterRegistry metrics) {
        this.sdk = sdk;
        this.budget = budget;
        this.metrics = metrics;
    }

    private Duration paced(Duration sdkDelay) {
        return budget == null ? sdkDelay : budget.reserve(sdkDelay);
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        AcquireInitialTokenResponse r = sdk.acquireInitialToken(request);
        return AcquireInitialTokenResponse.create(r.token(), paced(r.delay()));
    }

    @Override
    public CompletableFuture<AcquireInitialTokenResponse> acquireInitialTokenAsync(AcquireInitialTokenRequest request) {
        return sdk.acquireInitialTokenAsync(request)
                .thenApply(r -> AcquireInitialTokenResponse.create(r.token(), paced(r.delay())));
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        countThrottle(request.failure());
        RefreshRetryTokenResponse r = sdk.refreshRetryToken(request);
        return RefreshRetryTokenResponse.create(r.token(), paced(r.delay()));
    }

    @Override
    public CompletableFuture<RefreshRetryTokenResponse> refreshRetryTokenAsync(RefreshRetryTokenRequest request) {
        countThrottle(request.failure());
        return sdk.refreshRetryTokenAsync(request)
                .thenApply(r -> RefreshRetryTokenResponse.create(r.token(), paced(r.delay())));
    }

    private void countThrottle(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.isThrottlingException()) {
            metrics.counter("worker.rekognition.throttled", "error",
                    aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null
                            ? aws.awsErrorDetails().errorCode() : String.valueOf(aws.statusCode())).increment();
        }
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        return sdk.recordSuccess(request);
    }

    @Override
    public int maxAttempts() {
        return sdk.maxAttempts();
    }

    @Override
    public boolean useClientDefaults() {
        // The SDK strategy inside was built with AWS's defaults already (AwsRetryStrategy).
        return false;
    }

    @Override
    public Builder toBuilder() {
        return new Builder(sdk.toBuilder(), budget, metrics);
    }

    @Override
    public void close() {
        sdk.close();
    }

    /** Changes the SDK strategy inside; the budget and the metrics stay. */
    static final class Builder implements RetryStrategy.Builder<Builder, RekognitionRetries> {

        private final RetryStrategy.Builder<?, ?> sdk;
        private final CallBudget budget;
        private final MeterRegistry metrics;

        Builder(RetryStrategy.Builder<?, ?> sdk, CallBudget budget, MeterRegistry metrics) {
            this.sdk = sdk;
            this.budget = budget;
            this.metrics = metrics;
        }

        @Override
        public Builder retryOnException(Predicate<Throwable> shouldRetry) {
            sdk.retryOnException(shouldRetry);
            return this;
        }

        @Override
        public Builder maxAttempts(int maxAttempts) {
            sdk.maxAttempts(maxAttempts);
            return this;
        }

        @Override
        public Builder backoffStrategy(BackoffStrategy backoffStrategy) {
            sdk.backoffStrategy(backoffStrategy);
            return this;
        }

        @Override
        public Builder throttlingBackoffStrategy(BackoffStrategy backoffStrategy) {
            sdk.throttlingBackoffStrategy(backoffStrategy);
            return this;
        }

        @Override
        public Builder treatAsThrottling(Predicate<Throwable> treatAsThrottling) {
            sdk.treatAsThrottling(treatAsThrottling);
            return this;
        }

        @Override
        public RekognitionRetries build() {
            return new RekognitionRetries(sdk.build(), budget, metrics);
        }
    }
}
