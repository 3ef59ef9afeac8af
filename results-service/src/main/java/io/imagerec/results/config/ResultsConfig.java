package io.imagerec.results.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of results-service; each is listed in the README's configuration table. */
@ConfigMapping(prefix = "results")
public interface ResultsConfig {

    /** The SQS client of the results consumer. */
    Sqs sqs();

    /** The S3 client that reads results too large for a queue message. */
    S3 s3();

    /** The results queue and how its messages are handled. */
    Queue queue();

    /**
     * How long after its id was made an unknown job is answered as QUEUED: an upload's 202 comes before
     * its QUEUED event reaches the database, and the client may already be asking.
     */
    @WithDefault("1H")
    Duration pendingWindow();

    /** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
    @WithDefault("5")
    int retryAfterSeconds();

    /**
     * How often the operator metrics are read: the age of the oldest unfinished job (one indexed query)
     * and the depth of the results queue and its dead-letter queue (GetQueueAttributes).
     */
    @WithName("metrics.interval")
    @WithDefault("30S")
    Duration metricsInterval();

    /** Seconds a client polling an unfinished (QUEUED or PROCESSING) job is told to wait (Retry-After). */
    @WithDefault("2")
    int pollRetryAfterSeconds();

    interface Sqs {
        /** Endpoint override: local-cloud's SQS locally; AWS's regional endpoint when absent. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Longest a delete or visibility change may take, retries included, before it is given up. */
        @WithDefault("60S")
        Duration callTimeout();
    }

    interface S3 {
        /** Endpoint override: local-cloud's S3 locally; AWS's regional endpoint when absent. */
        Optional<URI> endpoint();

        @WithDefault("true")
        boolean pathStyle();

        /** The only bucket oversized results are read from (the worker's payload bucket). */
        @WithDefault("images")
        String payloadBucket();
    }

    interface Queue {
        @WithDefault("recognition-results")
        String name();

        /** The results queue's URL (any name, any account); wins over the name. */
        Optional<String> url();

        /** How long a received result stays hidden from other replicas; a heartbeat renews it every third. */
        @WithDefault("30S")
        Duration visibility();

        /** First wait between two tries of a database write that failed for a passing reason. */
        @WithDefault("1S")
        Duration retryInitialDelay();

        /** Longest wait between two tries of a database write. */
        @WithDefault("30S")
        Duration retryMaxDelay();

        /** At shutdown, how long results being written may take before they are released. */
        @WithDefault("10S")
        Duration shutdownGrace();
    }
}
