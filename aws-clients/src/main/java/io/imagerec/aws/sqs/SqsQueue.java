package io.imagerec.aws.sqs;

import java.util.Optional;

import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * A queue a service sends to or consumes: its URL when configured (any name, any account), otherwise
 * looked up by name once. For a consumed queue the same two settings feed the SmallRye SQS connector
 * ({@code queue.url}, {@code queue}), so the connector and the service's own calls (visibility, dead
 * letters) address one queue.
 */
public final class SqsQueue {

    private final SqsAsyncClient sqs;
    private final String name;
    private final Optional<String> configuredUrl;
    private volatile String url;

    public SqsQueue(SqsAsyncClient sqs, String name, Optional<String> url) {
        this.sqs = sqs;
        this.name = name;
        this.configuredUrl = url.filter(u -> !u.isBlank());
        this.url = configuredUrl.orElse(null);
    }

    /** The queue's name as configured, or the last path segment of its URL. */
    public String name() {
        return configuredUrl.map(u -> u.substring(u.lastIndexOf('/') + 1)).orElse(name);
    }

    public Uni<String> url() {
        String known = url;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return Uni.createFrom().completionStage(() -> sqs.getQueueUrl(b -> b.queueName(name)))
                .map(r -> r.queueUrl())
                .invoke(u -> url = u);
    }

    public SqsAsyncClient client() {
        return sqs;
    }
}
