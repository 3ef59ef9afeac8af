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
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The Rekognition client's retry strategy: the AWS SDK's own (standard or adaptive; throttling errors,
 * ThrottlingException and ProvisionedThroughputExceededException among them, are retried with
 * exponential back-off and full jitter), plus what the SDK lacks: the optional {@link CallBudget},
 * whose wait is added to the SDK's own before every attempt; throttles retried up to the strategy's
 * attempts but other failures only {@link #OTHER_ERROR_ATTEMPTS} times; and a count of the throttles
 * the worker was answered ({@code worker.rekognition.throttled}).
 */
final class RekognitionRetries implements RetryStrategy {

    /**
     * Attempts for a failure that is not a throttle (the SDK's default): an engine outage or a 5xx
     * goes back to the job's own retry, as before throttles were handled here.
     */
    static final int OTHER_ERROR_ATTEMPTS = 3;

    /** The SDK strategy's token and the number of the attempt it is for. */
    record Attempt(RetryToken sdk, int number) implements RetryToken {
    }

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
        return first(sdk.acquireInitialToken(request));
    }

    @Override
    public CompletableFuture<AcquireInitialTokenResponse> acquireInitialTokenAsync(AcquireInitialTokenRequest request) {
        return sdk.acquireInitialTokenAsync(request).thenApply(this::first);
    }

    private AcquireInitialTokenResponse first(AcquireInitialTokenResponse r) {
        return AcquireInitialTokenResponse.create(new Attempt(r.token(), 1), paced(r.delay()));
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        return refreshRetryTokenAsync(request).join();
    }

    @Override
    public CompletableFuture<RefreshRetryTokenResponse> refreshRetryTokenAsync(RefreshRetryTokenRequest request) {
        Attempt attempt = (Attempt) request.token();
        boolean throttled = isThrottle(request.failure());
        if (!throttled && attempt.number() >= OTHER_ERROR_ATTEMPTS) {
            // An outage or a fault is the job's to retry (JobProcessor), with its longer back-off.
            return CompletableFuture.failedFuture(new TokenAcquisitionFailedException(
                    "no retry left for a failure that is not a throttle", attempt, request.failure()));
        }
        return sdk.refreshRetryTokenAsync(request.toBuilder().token(attempt.sdk()).build())
                .handle((r, e) -> {
                    if (e != null) {
                        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                ? e.getCause() : e;
                        throw cause instanceof TokenAcquisitionFailedException t
                                ? new TokenAcquisitionFailedException(t.getMessage(), attempt, t.getCause())
                                : new java.util.concurrent.CompletionException(cause);
                    }
                    return RefreshRetryTokenResponse.create(new Attempt(r.token(), attempt.number() + 1),
                            paced(r.delay()));
                });
    }

    private boolean isThrottle(Throwable failure) {
        if (failure instanceof AwsServiceException aws && aws.isThrottlingException()) {
            metrics.counter("worker.rekognition.throttled", "error",
                    aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null
                            ? aws.awsErrorDetails().errorCode() : String.valueOf(aws.statusCode())).increment();
            return true;
        }
        return false;
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        return sdk.recordSuccess(RecordSuccessRequest.create(((Attempt) request.token()).sdk()));
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
