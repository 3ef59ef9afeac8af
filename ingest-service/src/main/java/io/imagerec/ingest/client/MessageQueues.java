package io.imagerec.ingest.client;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.ingest.config.IngestConfig;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends to the jobs and results queues; queue URLs come from configuration or are looked up by name once. */
@ApplicationScoped
public class MessageQueues {

    private final SqsClient sqs;
    private final IngestConfig config;
    private final ConcurrentMap<String, String> urls = new ConcurrentHashMap<>();

    public MessageQueues(SqsClient sqs, IngestConfig config) {
        this.sqs = sqs;
        this.config = config;
    }

    public void sendJob(String body) {
        send(config.jobs(), body);
    }

    public void sendStatus(String body) {
        send(config.results(), body);
    }

    private void send(IngestConfig.Queue queue, String body) {
        String url = url(queue);
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
    }

    private String url(IngestConfig.Queue queue) {
        return queue.url().orElseGet(() -> urls.computeIfAbsent(queue.name(),
                name -> sqs.getQueueUrl(b -> b.queueName(name)).queueUrl()));
    }

    /** For readiness: both queues resolve. */
    public void check() {
        url(config.jobs());
        url(config.results());
    }
}
