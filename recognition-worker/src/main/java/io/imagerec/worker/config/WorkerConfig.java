package io.imagerec.worker.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of recognition-worker; each is listed in the README's configuration table. */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    Rekognition rekognition();

    /** The SQS client shared by the jobs consumer and the result publisher. */
    Sqs sqs();

    /** The S3 client that stores results too large for a queue message. */
    S3 s3();

    /** The jobs queue and how its messages are handled. */
    Jobs jobs();

    /** Queue that receives status events and results. */
    Results results();

    /** Receives after which a job counts as failed: the jobs queue's redrive maxReceiveCount. */
    @WithDefault("5")
    int maxReceives();

    /**
     * How often the depth of the jobs queue and its dead-letter queue is read for the
     * {@code sqs_queue_messages} gauges (one GetQueueAttributes per queue); 0 turns it off.
     */
    @WithName("metrics.queue-depth-interval")
    @WithDefault("30S")
    Duration queueDepthInterval();

    interface Rekognition {
        /** Endpoint override: rekognition-local locally; AWS's regional endpoint when absent. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Time allowed for one Rekognition call, retries included. */
        @WithDefault("60S")
        Duration callTimeout();

        /** Connections to Rekognition; match it to the job concurrency. */
        @WithDefault("16")
        int maxConnections();

        /**
         * This worker's share of the account's Rekognition quota: calls per second, every attempt
         * counted, spaced evenly. For N workers under a quota of Q, Q / N each. Unset: unlimited.
         */
        Optional<Double> callsPerSecond();

        /**
         * The AWS SDK's retry strategy for Rekognition calls: {@code standard} (exponential back-off with
         * full jitter, 1 s base for throttling errors) or {@code adaptive} (the same, plus a client-side
         * rate limiter that slows this worker down after throttles and speeds it up again).
         */
        @WithDefault("standard")
        RetryMode retryMode();

        /**
         * Attempts per Rekognition call while it is throttled (first one included); other failures get 3,
         * as the SDK gives. Then the job falls back to its own retry.
         */
        @WithDefault("8")
        int maxAttempts();
    }

    enum RetryMode {
        STANDARD, ADAPTIVE
    }

    interface Sqs {
        /** Endpoint override: local-cloud's SQS locally; AWS's regional endpoint when absent. */
        Optional<URI> endpoint();

        /** Longest a send, delete or visibility change may take, retries included, before it is given up. */
        @WithDefault("60S")
        Duration callTimeout();
    }

    interface S3 {
        /** Endpoint override: local-cloud's S3 locally; AWS's regional endpoint when absent. */
        Optional<URI> endpoint();

        /** Path-style bucket addressing, which S3-compatible local servers need. */
        @WithDefault("true")
        boolean pathStyle();
    }

    interface Jobs {
        /** The jobs queue's name; looked up when no URL is given. */
        @WithDefault("recognition-jobs")
        String name();

        /** The jobs queue's URL (any name, any account); wins over the name. */
        Optional<String> url();

        /** How long a received job stays hidden from other workers; a heartbeat renews it every third. */
        @WithDefault("60S")
        Duration visibility();

        /** Wait before the second attempt of a job that failed transiently; doubled for each further one. */
        @WithDefault("15S")
        Duration retryInitialDelay();

        /** Longest wait between two attempts. */
        @WithDefault("5M")
        Duration retryMaxDelay();

        /** At shutdown, how long running jobs may take to finish before they are released to other workers. */
        @WithDefault("15S")
        Duration shutdownGrace();
    }

    interface Results {
        /** The results queue's name; looked up when no URL is given. */
        @WithDefault("recognition-results")
        String name();

        /** The results queue's URL (any name, any account); wins over the name. */
        Optional<String> url();

        /**
         * Results larger than this go to S3 and the message carries a pointer to them (the SQS Extended
         * Client's format); 262144 is SQS's message size limit.
         */
        @WithDefault("262144")
        int maxMessageBytes();

        /** Bucket for results too large for a message (under {@code results/}). */
        @WithDefault("images")
        String payloadBucket();
    }
}
