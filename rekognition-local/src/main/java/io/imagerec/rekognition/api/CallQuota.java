package io.imagerec.rekognition.api;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.imagerec.rekognition.config.EngineConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The optional account quota ({@code rekognition.quota.*}): a token bucket over every operation that
 * refuses a call beyond the rate as Amazon Rekognition does, so that a client's throttling handling can
 * be tried offline. Rekognition's service model lets every operation answer both
 * {@code ProvisionedThroughputExceededException} (a client error, 400) and {@code ThrottlingException}
 * (a server fault, 500); neither has members beyond the message.
 */
@ApplicationScoped
public class CallQuota {

    /** At DEBUG, one line per decision, at the moment of the call's arrival (the access log writes at its end). */
    private static final Logger LOG = Logger.getLogger(CallQuota.class);

    static final String PROVISIONED = "ProvisionedThroughputExceededException";
    static final String THROTTLING = "ThrottlingException";
    static final String BOTH = "both";

    private final boolean enabled;
    private final double perNano;
    private final double capacity;
    private final String error;
    private final Counter admitted;
    private final Counter refused;
    private double tokens;
    private long refilledAt = System.nanoTime();
    private long refusals;

    public CallQuota(EngineConfig config, MeterRegistry metrics) {
        var quota = config.quota();
        this.enabled = quota.callsPerSecond().isPresent();
        double rate = quota.callsPerSecond().orElse(0.0);
        if (enabled && !(rate > 0)) {
            throw new IllegalArgumentException("rekognition.quota.calls-per-second must be above 0, not " + rate);
        }
        this.perNano = rate / 1e9;
        this.capacity = quota.burst().orElse((int) Math.max(1, Math.ceil(rate)));
        if (capacity < 1) {
            throw new IllegalArgumentException("rekognition.quota.burst must be at least 1, not " + capacity);
        }
        this.error = quota.error();
        if (!error.equals(PROVISIONED) && !error.equals(THROTTLING) && !error.equals(BOTH)) {
            throw new IllegalArgumentException("rekognition.quota.error must be " + PROVISIONED + ", " + THROTTLING
                    + " or " + BOTH + ", not " + error);
        }
        this.tokens = capacity;
        this.admitted = Counter.builder("rekognition.quota.calls").tag("outcome", "admitted")
                .description("Calls checked against rekognition.quota.calls-per-second").register(metrics);
        this.refused = Counter.builder("rekognition.quota.calls").tag("outcome", "refused")
                .description("Calls checked against rekognition.quota.calls-per-second").register(metrics);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Takes one call from the quota, or throws the refusal AWS would answer. */
    public void admit() {
        if (!enabled) {
            return;
        }
        String refusal;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                refusal = null;
            } else {
                refusal = error.equals(BOTH) ? (refusals++ % 2 == 0 ? PROVISIONED : THROTTLING) : error;
            }
        }
        if (refusal == null) {
            admitted.increment();
            LOG.debug("quota: admitted");
            return;
        }
        refused.increment();
        LOG.debugf("quota: refused with %s", refusal);
        throw refusal.equals(PROVISIONED)
                ? RekognitionException.provisionedThroughputExceeded("Provisioned rate exceeded")
                : RekognitionException.throttling("Rate exceeded");
    }
}
