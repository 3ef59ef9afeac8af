package io.imagerec.aws.sqs;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.aws.sqs.SqsIncomingMetadata;
import io.smallrye.reactive.messaging.aws.sqs.fault.VisibilityTimeoutMetadata;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * How every queue consumer of the platform handles one SQS message, whatever its work is:
 * <ul>
 *   <li>the work's {@link Outcome} ends in exactly one acknowledgement (delete) or negative
 *       acknowledgement (the message comes back after the outcome's delay, through the connector's
 *       {@code visibility} failure strategy); a failure of the work itself, of the ack or of the nack
 *       is logged and never reaches the stream, which the connector would otherwise end for good;</li>
 *   <li>a heartbeat extends the message's visibility while the work runs, so a long job is not
 *       delivered to a second consumer; with {@code claimFirst} the first extension happens before
 *       the work starts, and a message whose receipt handle is no longer valid (it waited in the
 *       connector's buffer past its visibility and was delivered again) is left alone, neither
 *       acknowledged nor released: it belongs to another consumer now, or comes back by itself;</li>
 *   <li>{@link #pauseReceives} holds the connector's receives back while a dependency is down;</li>
 *   <li>{@link #drain} stops receiving at shutdown, lets running work finish within a grace period,
 *       and releases the rest, and whatever the connector had received, at visibility 0 so another
 *       consumer takes it at once.</li>
 * </ul>
 */
public final class SqsMessageConsumer {

    /** What to do with a message once its work is done. */
    public sealed interface Outcome {

        /** Delete the message: its result is durable. */
        record Ack() implements Outcome {
        }

        /** Leave the message for another attempt after {@code after} (0: at once). */
        record Retry(Duration after, String reason) implements Outcome {
        }

        static Outcome ack() {
            return new Ack();
        }

        static Outcome retry(Duration after, String reason) {
            return new Retry(after, reason);
        }
    }

    /**
     * @param visibility how long a message stays hidden from other consumers; the heartbeat renews
     *        it every third of that
     * @param claimFirst extend the visibility before the work starts (and skip messages that can no
     *        longer be claimed); worth one call when the work is expensive
     * @param callTimeout the longest an ack, nack or visibility change may take before it is given up
     *        (the message then comes back by itself)
     * @param unexpectedFailureDelay when the work fails with an exception it did not classify
     */
    public record Settings(Duration visibility, boolean claimFirst, Duration callTimeout,
            Duration unexpectedFailureDelay) {
    }

    /** The largest visibility timeout SQS accepts. */
    static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    /** At shutdown, the connector's buffer counts as empty once no message arrived for this long. */
    static final Duration QUIET = Duration.ofMillis(750);
    /**
     * At shutdown, the longest wait for receives under way and buffered messages after the work in
     * flight has ended: above the channels' long-polling wait.
     */
    static final Duration SETTLE = Duration.ofSeconds(8);
    /** How long after a drain the pollers are held back, for the connector to close. */
    static final Duration AFTER_DRAIN = Duration.ofSeconds(30);

    private final SqsQueue queue;
    private final Settings settings;
    private final Logger log;
    private final ScheduledExecutorService timer;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private volatile boolean receivesPaused;
    private volatile long receivesEndAt = Long.MAX_VALUE;
    private volatile long lastArrival = System.nanoTime() - SETTLE.toNanos();
    private final Set<Thread> pollers = ConcurrentHashMap.newKeySet();
    private final Set<Thread> waitingPollers = ConcurrentHashMap.newKeySet();

    public SqsMessageConsumer(SqsQueue queue, Settings settings) {
        this.queue = queue;
        this.settings = settings;
        this.log = Logger.getLogger(SqsMessageConsumer.class.getName() + "." + queue.name());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sqs-heartbeat-" + queue.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** True once {@link #drain} has begun. */
    public boolean draining() {
        return draining;
    }

    /**
     * Stops receiving: the connector's next receive waits in {@link #beforeReceive} until
     * {@link #resumeReceives()}. For a dependency outage during which every message would fail: no
     * message is received only to age in the connector's buffer and be received again, which would
     * spend its receives and push it to the dead-letter queue.
     */
    public void pauseReceives(String reason) {
        if (!receivesPaused) {
            receivesPaused = true;
            log.warnf("Receiving paused: %s", reason);
        }
    }

    public void resumeReceives() {
        if (receivesPaused) {
            receivesPaused = false;
            log.info("Receiving resumed");
        }
    }

    /**
     * Called by the channel's receive customizer before each receive, on the connector's polling
     * thread (one per channel copy). Waits while receiving is paused; from the start of a drain it
     * waits until the connector closes (at most {@link #AFTER_DRAIN} after the drain), and a receive
     * that still goes out then hides nothing (visibility 0). Since a poller calls this only once its
     * previous receive has returned, a drain knows that no receive of this consumer is under way when
     * every poller waits here.
     */
    public void beforeReceive(ReceiveMessageRequest.Builder receive) {
        Thread poller = Thread.currentThread();
        pollers.add(poller);
        waitingPollers.add(poller);
        try {
            while (!poller.isInterrupted() && (draining ? System.nanoTime() < receivesEndAt : receivesPaused)) {
                sleep(100);
            }
        } finally {
            waitingPollers.remove(poller);
        }
        if (draining) {
            receive.visibilityTimeout(0);
        }
    }

    /** Messages being worked on now. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Handles one message; the returned Uni never fails. */
    public Uni<Void> consume(Message<?> message, Supplier<Uni<Outcome>> work) {
        String handle = message.getMetadata(SqsIncomingMetadata.class)
                .map(m -> m.getMessage().receiptHandle()).orElse(null);
        lastArrival = System.nanoTime();
        String key = handle != null ? handle : Integer.toHexString(System.identityHashCode(message));
        InFlight running = new InFlight();
        inFlight.put(key, running);
        Uni<Boolean> claimed = settings.claimFirst() && handle != null && !draining
                ? extend(handle).replaceWith(true).onFailure().recoverWithItem(e -> {
                    // Neither ack nor nack: the message is someone else's now, or comes back by itself.
                    log.infof("A message is not worked on: it could not be claimed (%s); it is or will be "
                            + "delivered again", e.toString());
                    return false;
                })
                : Uni.createFrom().item(true);
        return claimed.chain(ok -> {
                    if (!ok) {
                        return Uni.createFrom().voidItem();
                    }
                    if (draining) {
                        // Buffered by the connector before the drain began, or claimed while it began.
                        log.debug("Releasing a message that arrived while draining");
                        return settle(message, Outcome.retry(Duration.ZERO, "released: the consumer is shutting down"));
                    }
                    running.startHeartbeat(handle);
                    Uni<Outcome> outcome = Uni.createFrom().<Outcome>deferred(work::get)
                            .onFailure().recoverWithItem(e -> {
                                log.error("Unexpected failure while working on a message; it will be delivered again", e);
                                return Outcome.retry(settings.unexpectedFailureDelay(), e.toString());
                            });
                    return Uni.combine().any().of(outcome, Uni.createFrom().completionStage(running.released))
                            .invoke(running::stopHeartbeat)
                            .chain(o -> settle(message, o));
                })
                .onFailure().recoverWithUni(e -> {
                    log.error("A message's handling failed; it will be delivered again", e);
                    return Uni.createFrom().voidItem();
                })
                .eventually(() -> {
                    running.stopHeartbeat();
                    inFlight.remove(key);
                });
    }

    private Uni<Void> settle(Message<?> message, Outcome outcome) {
        Uni<Void> settled;
        if (outcome instanceof Outcome.Retry retry) {
            long seconds = Math.min(MAX_VISIBILITY.toSeconds() - 1, (retry.after().toMillis() + 999) / 1000);
            settled = Uni.createFrom().completionStage(() -> message.nack(new RetryLater(retry.reason()),
                    Metadata.of(new VisibilityTimeoutMetadata((int) seconds))));
        } else {
            settled = Uni.createFrom().completionStage(message::ack);
        }
        return settled.ifNoItem().after(settings.callTimeout()).fail()
                .onFailure().recoverWithItem(e -> {
                    log.warnf("Could not %s a message (%s); it comes back after its visibility timeout",
                            outcome instanceof Outcome.Ack ? "delete" : "release", e.toString());
                    return null;
                })
                .replaceWithVoid();
    }

    /** Extends the visibility of the message with this receipt handle by the configured duration. */
    Uni<Void> extend(String handle) {
        int seconds = (int) Math.min(MAX_VISIBILITY.toSeconds(), settings.visibility().toSeconds());
        return changeVisibility(handle, seconds);
    }

    private Uni<Void> changeVisibility(String handle, int seconds) {
        return queue.url()
                .chain(url -> Uni.createFrom().completionStage(() -> queue.client().changeMessageVisibility(
                        b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(seconds))))
                .ifNoItem().after(settings.callTimeout()).fail()
                .replaceWithVoid();
    }

    /**
     * Stops taking work and waits up to {@code grace} for the work in flight; what is still running
     * then is released (visibility 0) for another consumer. Then waits (at most {@link #SETTLE}) until
     * no receive is under way and the messages the connector had buffered have come and been released,
     * one by one, with no new one for {@link #QUIET}. Returns the number of running ones released.
     */
    public int drain(Duration grace) {
        draining = true;
        awaitEmpty(System.nanoTime() + grace.toNanos());
        int released = 0;
        for (InFlight running : inFlight.values()) {
            if (running.released.complete(Outcome.retry(Duration.ZERO, "released: the consumer is shutting down"))) {
                released++;
            }
        }
        if (released > 0) {
            log.infof("Released %d message(s) still in work at shutdown", released);
        }
        long quietFrom = System.nanoTime();
        long settle = quietFrom + SETTLE.toNanos();
        while (System.nanoTime() < settle && (!inFlight.isEmpty() || !waitingPollers.containsAll(pollers)
                || System.nanoTime() - Math.max(lastArrival, quietFrom) < QUIET.toNanos())) {
            sleep(50);
        }
        receivesEndAt = System.nanoTime() + AFTER_DRAIN.toNanos();
        log.debugf("Drained: %d message(s) still in flight, %d of %d pollers idle", inFlight.size(),
                waitingPollers.size(), pollers.size());
        timer.shutdownNow();
        return released;
    }

    private void awaitEmpty(long deadline) {
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One message in work: its heartbeat, and the signal that releases it at shutdown. */
    private final class InFlight {

        final CompletableFuture<Outcome> released = new CompletableFuture<>();
        private volatile ScheduledFuture<?> heartbeat;

        /** Renews the visibility of the message with this receipt handle every third of it. */
        void startHeartbeat(String handle) {
            long every = Math.max(1, settings.visibility().toMillis() / 3);
            if (handle != null && !timer.isShutdown()) {
                heartbeat = timer.scheduleAtFixedRate(() -> extend(handle).subscribe().with(ok -> { },
                        e -> log.warnf("Could not extend a message's visibility: %s", e.toString())),
                        every, every, TimeUnit.MILLISECONDS);
            }
        }

        void stopHeartbeat() {
            ScheduledFuture<?> beat = heartbeat;
            if (beat != null) {
                beat.cancel(false);
            }
        }
    }

    /** The reason given with a negative acknowledgement. */
    static final class RetryLater extends Exception {

        RetryLater(String reason) {
            super(reason, null, false, false);
        }
    }
}
