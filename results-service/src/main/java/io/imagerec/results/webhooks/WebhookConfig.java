package io.imagerec.results.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook delivery settings; each is listed in the README's configuration table. */
@ConfigMapping(prefix = "webhooks")
public interface WebhookConfig {

    /** Whether this replica sends deliveries (every replica records them). */
    @WithDefault("true")
    boolean senderEnabled();

    /** How long a delivery is retried before it is dead. */
    @WithDefault("24H")
    Duration retryFor();

    /** The first wait after a failed attempt; each further wait doubles, with full jitter. */
    @WithDefault("5S")
    Duration retryInitialDelay();

    /** The longest wait between two attempts. */
    @WithDefault("1H")
    Duration retryMaxDelay();

    @WithDefault("5S")
    Duration connectTimeout();

    /** From the request sent to the whole answer read. */
    @WithDefault("10S")
    Duration readTimeout();

    /** An answer body longer than this is not read further (the attempt still counts by its status). */
    @WithDefault("65536")
    int maxResponseBytes();

    /** How long a claimed delivery is reserved for the replica that claimed it. */
    @WithDefault("60S")
    Duration claimLease();

    /** How often a sender looks for due deliveries. */
    @WithDefault("1S")
    Duration pollInterval();

    /** Deliveries claimed at once by one replica. */
    @WithDefault("20")
    int batchSize();

    /** Deliveries sent at once by one replica. */
    @WithDefault("8")
    int concurrency();

    /**
     * Addresses (CIDR like 127.0.0.0/8 or ::1/128) that deliveries may go to although they are loopback,
     * private, link-local or metadata addresses; empty by default.
     */
    Optional<List<String>> allowedPrivateNetworks();

    /** Most subscriptions one tenant may have. */
    @WithDefault("25")
    int maxPerTenant();
}
