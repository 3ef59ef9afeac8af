package io.imagerec.aws.sqs;

import java.time.Duration;
import java.util.Map;
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
 *       connector's buffer past its visibility and was delivered again) is left alone;</li>
 *   <li>{@link #drain} stops taking work at shutdown, lets running work finish within a grace
 *       period and releases the rest (visibility 0) so another consumer takes it at once.</li>
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

    private final SqsQueue queue;
    private final Settings settings;
    private final Logger log;
    private final ScheduledExecutorService timer;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private volatile boolean receivesPaused;

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
     * thread: waits while receiving is paused, and once draining, receives with visibility 0 so that
     * nothing picked up during shutdown stays hidden.
     */
    public void beforeReceive(ReceiveMessageRequest.Builder receive) {
        while (receivesPaused && !draining) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
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
        if (draining) {
            return settle(message, Outcome.retry(Duration.ZERO, "released: the consumer is shutting down"));
        }
        Uni<Boolean> claimed = settings.claimFirst() && handle != null
                ? extend(handle).replaceWith(true).onFailure().recoverWithItem(e -> {
                    log.infof("A message is not worked on: it could not be claimed (%s); it is or will be "
                            + "delivered again", e.toString());
                    return false;
                })
                : Uni.createFrom().item(true);
        return claimed.chain(ok -> ok ? work(message, handle, work) : Uni.createFrom().voidItem())
                .onFailure().recoverWithUni(e -> {
                    log.error("A message's handling failed; it will be delivered again", e);
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> work(Message<?> message, String handle, Supplier<Uni<Outcome>> work) {
        InFlight running = new InFlight(handle);
        String key = handle != null ? handle : Integer.toHexString(System.identityHashCode(message));
        inFlight.put(key, running);
        Uni<Outcome> outcome = Uni.createFrom().<Outcome>deferred(work::get)
                .onFailure().recoverWithItem(e -> {
                    log.error("Unexpected failure while working on a message; it will be delivered again", e);
                    return Outcome.retry(settings.unexpectedFailureDelay(), e.toString());
                });
        return Uni.combine().any().of(outcome, Uni.createFrom().completionStage(running.released))
                .chain(o -> settle(message, o))
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
     * then is released (visibility 0) for another consumer. Returns the number released.
     */
    public int drain(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        awaitEmpty(deadline);
        int released = 0;
        for (InFlight running : inFlight.values()) {
            if (running.released.complete(Outcome.retry(Duration.ZERO, "released: the consumer is shutting down"))) {
                released++;
            }
        }
        if (released > 0) {
            log.infof("Released %d message(s) still in work at shutdown", released);
            awaitEmpty(System.nanoTime() + settings.callTimeout().toNanos());
        }
        timer.shutdownNow();
        return released;
    }

    private void awaitEmpty(long deadline) {
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One message in work: its heartbeat, and the signal that releases it at shutdown. */
    private final class InFlight {

        final CompletableFuture<Outcome> released = new CompletableFuture<>();
        private final ScheduledFuture<?> heartbeat;

        InFlight(String handle) {
            long every = Math.max(1, settings.visibility().toMillis() / 3);
            this.heartbeat = handle == null || timer.isShutdown() ? null
                    : timer.scheduleAtFixedRate(() -> extend(handle).subscribe().with(ok -> { },
                            e -> log.warnf("Could not extend a message's visibility: %s", e.toString())),
                            every, every, TimeUnit.MILLISECONDS);
        }

        void stopHeartbeat() {
            if (heartbeat != null) {
                heartbeat.cancel(false);
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
