package io.imagerec.rekognition.api;

import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.rekognition.config.EngineConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Bounds the work in the engine: at most {@code maxConcurrent} requests are analysed at once and at
 * most {@code maxQueued} more wait for a slot. A request beyond that is answered at once with
 * ThrottlingException, so overload turns into retries rather than an out-of-memory crash.
 *
 * <p>Admission ({@link #admit()}) happens in {@link AdmissionFilter} before the body is read, so at
 * most {@code maxConcurrent + maxQueued} bodies are ever buffered at once; the slot is given back
 * when the response ends. {@link #run} then waits for one of the {@code maxConcurrent} analysis slots.
 */
@ApplicationScoped
public class RequestGate {

    private final Semaphore admitted;
    private final Semaphore running;
    private final int capacity;

    public RequestGate(EngineConfig config, MeterRegistry registry) {
        int concurrent = config.inference().maxConcurrent().orElse(Runtime.getRuntime().availableProcessors());
        this.capacity = concurrent + config.inference().maxQueued();
        this.admitted = new Semaphore(capacity);
        this.running = new Semaphore(concurrent, true);
        Gauge.builder("rekognition.requests.in.flight", this::inFlight)
                .description("Requests admitted and not yet answered").register(registry);
    }

    /** A unit of work run once a slot is free. */
    @FunctionalInterface
    public interface Work<T> {
        T run();
    }

    /** Takes an admission slot, or throws ThrottlingException; the caller must {@link #release()} it. */
    public void admit() {
        if (!admitted.tryAcquire()) {
            throw RekognitionException.throttling("Rate exceeded: " + capacity + " requests are already in flight");
        }
    }

    public void release() {
        admitted.release();
    }

    /** Requests admitted and not yet answered. */
    public int inFlight() {
        return capacity - admitted.availablePermits();
    }

    /** Requests that may be admitted at once: the analysis slots plus the waiting places. */
    public int capacity() {
        return capacity;
    }

    /** Runs admitted work once one of the analysis slots is free. */
    public <T> T run(Work<T> work) {
        running.acquireUninterruptibly();
        try {
            return work.run();
        } finally {
            running.release();
        }
    }
}
