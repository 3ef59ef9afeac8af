package io.imagerec.ingest.client;

import static io.imagerec.ingest.client.SdkCalls.call;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.ingest.config.IngestConfig;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.batchmanager.SqsAsyncBatchManager;

/**
 * Sends to the jobs and results queues without blocking. Sends go through the SDK's batch manager:
 * messages for one queue that are sent within {@code ingest.send-batch-window} of each other leave in one
 * {@code SendMessageBatch} call (up to 10), so concurrent uploads share round trips. Queue URLs come from
 * configuration or are looked up by name once.
 */
@ApplicationScoped
public class MessageQueues {

    private final SqsAsyncClient sqs;
    private final IngestConfig config;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sqs-send-batches");
        t.setDaemon(true);
        return t;
    });
    private final SqsAsyncBatchManager batches;
    private final ConcurrentMap<String, Uni<String>> urls = new ConcurrentHashMap<>();

    public MessageQueues(SqsAsyncClient sqs, IngestConfig config) {
        this.sqs = sqs;
        this.config = config;
        this.batches = SqsAsyncBatchManager.builder().client(sqs).scheduledExecutor(flusher)
                .overrideConfiguration(c -> c.maxBatchSize(10).sendRequestFrequency(config.sendBatchWindow()))
                .build();
    }

    public Uni<Void> sendJob(String body) {
        return send(config.jobs(), body);
    }

    public Uni<Void> sendStatus(String body) {
        return send(config.results(), body);
    }

    private Uni<Void> send(IngestConfig.Queue queue, String body) {
        return url(queue).chain(url -> call(() -> batches.sendMessage(b -> b.queueUrl(url).messageBody(body))))
                // Bounded on our side too: an upload must never wait for ever on a send that never ends.
                .ifNoItem().after(config.sendDeadline())
                .failWith(() -> ApiCallTimeoutException.create(config.sendDeadline().toMillis()))
                .replaceWithVoid();
    }

    /** The queue's URL: configured, or looked up once by name (a failed look-up is tried again next time). */
    public Uni<String> url(IngestConfig.Queue queue) {
        if (queue.url().isPresent()) {
            return Uni.createFrom().item(queue.url().get());
        }
        return urls.computeIfAbsent(queue.name(), name -> call(() -> sqs.getQueueUrl(b -> b.queueName(name)))
                .map(r -> r.queueUrl())
                .onFailure().invoke(e -> urls.remove(name))
                .memoize().indefinitely());
    }

    /** For readiness: both queues resolve. */
    public Uni<Void> check() {
        return Uni.combine().all().unis(url(config.jobs()), url(config.results())).discardItems();
    }

    @PreDestroy
    void close() {
        // Sends still buffered leave now; the client itself is closed by its extension.
        batches.close();
        flusher.shutdown();
    }
}
