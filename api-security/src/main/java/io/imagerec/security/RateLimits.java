package io.imagerec.security;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A token bucket per key and kind of request (Bucket4j): {@code security.rate-limit.*} sustained per
 * second with a burst above it. Held in this replica's memory: with N replicas behind a balancer a key
 * gets up to N times the rate, which the README says.
 */
@ApplicationScoped
public class RateLimits {

    /** Which budget a request spends. */
    public enum Kind {
        UPLOADS, READS
    }

    private final SecurityConfig.RateLimit config;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000).build();

    public RateLimits(SecurityConfig config) {
        this.config = config.rateLimit();
    }

    /** Spends one request of the key's budget; the wait until the next is allowed, or zero when it is now. */
    public Duration take(String keyId, Kind kind) {
        if (!config.enabled()) {
            return Duration.ZERO;
        }
        Bucket bucket = buckets.get(kind + "/" + keyId, k -> kind == Kind.UPLOADS
                ? bucket(config.uploadsPerSecond(), config.uploadsBurst())
                : bucket(config.readsPerSecond(), config.readsBurst()));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    private static Bucket bucket(int perSecond, int burst) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(Math.max(burst, perSecond))
                .refillGreedy(perSecond, Duration.ofSeconds(1)).build()).build();
    }
}
