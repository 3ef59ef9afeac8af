package io.imagerec.worker.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of recognition-worker; each is listed in the README's configuration table. */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    Rekognition rekognition();

    /** The SQS client shared by the jobs consumer and the result publisher. */
    Sqs sqs();

    /** Queue that receives status events and results. */
    ResultsQueue results();

    /** Receives after which a job counts as failed: the jobs queue's redrive maxReceiveCount. */
    @WithDefault("5")
    int maxReceives();

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
    }

    interface Sqs {
        /** Endpoint override: local-cloud's SQS locally; AWS's regional endpoint when absent. */
        Optional<URI> endpoint();

        /** Attempts per SQS call (exponential back-off up to 5 s): 60 rides out an outage of about 5 minutes. */
        @WithDefault("60")
        int maxAttempts();
    }

    interface ResultsQueue {
        Optional<String> url();

        @WithDefault("recognition-results")
        String name();
    }
}
