package io.imagerec.aws.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.imagerec.aws.sqs.DeadLetterQueue;
import io.imagerec.aws.sqs.SqsQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The depth of queues as gauges, read with GetQueueAttributes every {@code interval} through the
 * service's own SQS async client: {@code sqs.queue.messages} tagged {@code queue} and {@code state}
 * ({@code visible}: ApproximateNumberOfMessages, waiting to be received; {@code in_flight}:
 * ApproximateNumberOfMessagesNotVisible, received and not yet deleted; {@code delayed}). A queue's
 * dead-letter queue is found through its redrive policy and reported under its own name. A gauge keeps
 * its last value while SQS does not answer ({@code sqs.queue.depth.errors} counts those polls); it
 * appears with the first answer.
 */
public final class QueueDepths implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QueueDepths.class);

    /** A queue to watch, and whether its dead-letter queue is watched too. */
    public record Watched(SqsQueue queue, DeadLetterQueue deadLetters) {
    }

    private final MeterRegistry metrics;
    private final List<Watched> queues;
    private final Duration timeout;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sqs-queue-depths");
        t.setDaemon(true);
        return t;
    });

    public QueueDepths(MeterRegistry metrics, List<Watched> queues, Duration timeout) {
        this.metrics = metrics;
        this.queues = queues;
        this.timeout = timeout;
    }

    /** Polls now and then every {@code interval}; nothing when the interval is zero. */
    public void start(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer.scheduleWithFixedDelay(this::pollQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollQuietly() {
        try {
            poll().await().atMost(timeout.multipliedBy(Math.max(1, queues.size() * 2L)));
        } catch (RuntimeException e) {
            LOG.debugf("Queue depths not read: %s", e.toString());
        }
    }

    /** Reads every watched queue once; never fails. */
    public Uni<Void> poll() {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Watched w : queues) {
            all = all.call(() -> read(w.queue().name(), w.queue().url(), w.queue()));
            if (w.deadLetters() != null) {
                all = all.call(() -> w.deadLetters().arn().chain(arn -> {
                    String[] parts = arn.split(":");
                    Uni<String> url = Uni.createFrom().completionStage(() -> w.queue().client().getQueueUrl(
                            b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4]))).map(r -> r.queueUrl());
                    return read(parts[5], url, w.queue());
                }).onFailure().recoverWithUni(e -> failed(w.queue().name() + " (dead-letter queue)", e)));
            }
        }
        return all;
    }

    private Uni<Void> read(String name, Uni<String> url, SqsQueue via) {
        return url.chain(u -> Uni.createFrom().completionStage(() -> via.client().getQueueAttributes(b -> b.queueUrl(u)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))))
                .ifNoItem().after(timeout).fail()
                .invoke(r -> {
                    set(name, "visible", r.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                    set(name, "in_flight", r.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
                    set(name, "delayed", r.attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> failed(name, e));
    }

    private Uni<Void> failed(String name, Throwable e) {
        metrics.counter("sqs.queue.depth.errors", "queue", name).increment();
        LOG.debugf("Depth of queue %s not read: %s", name, e.toString());
        return Uni.createFrom().voidItem();
    }

    private void set(String queue, String state, String value) {
        if (value == null) {
            return;
        }
        values.computeIfAbsent(queue + "\u0000" + state, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("sqs.queue.messages", holder, AtomicLong::get)
                    .tag("queue", queue).tag("state", state)
                    .description("Approximate number of messages in the queue (GetQueueAttributes)")
                    .register(metrics);
            return holder;
        }).set(Long.parseLong(value));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
