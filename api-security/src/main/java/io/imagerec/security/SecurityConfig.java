package io.imagerec.security;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of API keys and rate limits ({@code security.*}), the same in every public service. */
@ConfigMapping(prefix = "security")
public interface SecurityConfig {

    /**
     * The operator's key ({@code BOOTSTRAP_API_KEY}): every scope, any tenant (named by
     * {@code X-Tenant-Id}, default {@code default}). Unset: only stored keys authenticate.
     */
    Optional<String> bootstrapKey();

    Keys keys();

    RateLimit rateLimit();

    interface Keys {
        /** How long a replica trusts what it read of a key: a revocation elsewhere takes effect within this. */
        @WithDefault("30S")
        Duration cacheTtl();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Uploads (every POST of ingest) per second and key, sustained. */
        @WithDefault("100")
        int uploadsPerSecond();

        /** Uploads a key may send at once above the sustained rate. */
        @WithDefault("200")
        int uploadsBurst();

        /** Reads (every GET) per second and key, sustained. */
        @WithDefault("200")
        int readsPerSecond();

        @WithDefault("400")
        int readsBurst();
    }
}
