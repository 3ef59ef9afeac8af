package io.imagerec.results.config;

import java.net.URI;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of results-service; each is listed in the README's configuration table. */
@ConfigMapping(prefix = "results")
public interface ResultsConfig {

    /** The SQS client of the results consumer. */
    Sqs sqs();

    interface Sqs {
        /** Endpoint override: local-cloud's SQS locally; AWS's regional endpoint when absent. */
        Optional<URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        /** Attempts per SQS call (exponential back-off up to 5 s): 60 rides out an outage of about 5 minutes. */
        @WithDefault("60")
        int maxAttempts();
    }
}
