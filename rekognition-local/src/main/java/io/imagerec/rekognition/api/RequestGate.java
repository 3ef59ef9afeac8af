package io.imagerec.rekognition.api;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p>Decoding a huge image (a 10,000 x 10,000 JPEG takes seconds) would hold an analysis slot the whole
 * time, so that a few of them starve every small request. An image over {@code largeImageMegapixels} is
 * therefore decoded in its own lane ({@link #decodeLane}): its request gives its analysis slot back,
 * waits for one of {@code largeImageLanes} decode places, decodes, and takes an analysis slot again
 * (the decoded image is subsampled to at most 2,048 pixels a side, so what follows costs what a small
 * image costs). Small requests keep the analysis slots meanwhile.
 */
@ApplicationScoped
public class RequestGate {

    /** The gate whose analysis slot the current thread holds, for {@link #decodeLane}. */
    private static final ThreadLocal<RequestGate> HOLDER = new ThreadLocal<>();

    private final Semaphore admitted;
    private final Semaphore running;
    private final Semaphore largeDecodes;
    private final long largePixels;
    private final AtomicInteger inLargeLane = new AtomicInteger();
    private final AtomicInteger analysing = new AtomicInteger();
    private final int capacity;

    public RequestGate(EngineConfig config, MeterRegistry registry) {
        int concurrent = config.inference().maxConcurrent().orElse(Runtime.getRuntime().availableProcessors());
        this.capacity = concurrent + config.inference().maxQueued();
        this.admitted = new Semaphore(capacity);
        this.running = new Semaphore(concurrent, true);
        this.largeDecodes = new Semaphore(Math.max(1, config.inference().largeImageLanes()), true);
        this.largePixels = (long) (config.inference().largeImageMegapixels() * 1_000_000);
        Gauge.builder("rekognition.decode.large.in.lane", inLargeLane::get)
                .description("Large images waiting for or being decoded in the large-image lane").register(registry);
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
        analysing.incrementAndGet();
        try {
            return runInSlot(work);
        } finally {
            analysing.decrementAndGet();
        }
    }

    private <T> T runInSlot(Work<T> work) {
        running.acquireUninterruptibly();
        HOLDER.set(this);
        try {
            return work.run();
        } finally {
            HOLDER.remove();
            running.release();
        }
    }

    /**
     * Runs the decode of an image of this many stored pixels: at once when it is small or the thread
     * holds no analysis slot (a test or tool decoding directly), otherwise in the large-image lane
     * with the caller's analysis slot given back meanwhile.
     */
    public static <T> T decodeLane(long pixels, Work<T> decode) {
        RequestGate gate = HOLDER.get();
        return gate == null || pixels <= gate.largePixels ? decode.run() : gate.decodeLarge(decode);
    }

    private <T> T decodeLarge(Work<T> decode) {
        inLargeLane.incrementAndGet();
        running.release();
        try {
            largeDecodes.acquireUninterruptibly();
            try {
                return decode.run();
            } finally {
                largeDecodes.release();
            }
        } finally {
            inLargeLane.decrementAndGet();
            running.acquireUninterruptibly();
        }
    }

    /** Requests past admission and body: waiting for an analysis slot, analysing, or in the large-image lane. */
    public int analysing() {
        return analysing.get();
    }

    /** Large images waiting for or being decoded in the large-image lane. */
    public int inLargeLane() {
        return inLargeLane.get();
    }
}
