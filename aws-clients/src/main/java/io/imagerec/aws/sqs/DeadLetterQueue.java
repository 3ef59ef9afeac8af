package io.imagerec.aws.sqs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The dead-letter queue of a consumed queue, found through the queue's own redrive policy: what is
 * in it, and a redrive of everything back to the queue with SQS's own message move task
 * (StartMessageMoveTask), the way the AWS console does it.
 */
public final class DeadLetterQueue {

    /** One message of the dead-letter queue, as a peek saw it. */
    public record DeadLetter(String messageId, String body, Instant sentAt, int receiveCount) {
    }

    /** What a peek found: an approximate total and up to the asked number of messages. */
    public record Peek(String queueArn, long approximateCount, List<DeadLetter> messages) {
    }

    /** A message move task, as ListMessageMoveTasks reports it. */
    public record MoveTask(String taskHandle, String status, long moved, Long toMove, String failureReason) {
    }

    private static final Pattern TARGET_ARN = Pattern.compile("\"deadLetterTargetArn\"\\s*:\\s*\"([^\"]+)\"");

    private final SqsQueue source;
    private final Duration timeout;

    /**
     * @param timeout the longest any one operation may take (the consumers' SQS client retries without
     *        limit)
     */
    public DeadLetterQueue(SqsQueue source, Duration timeout) {
        this.source = source;
        this.timeout = timeout;
    }

    /** The dead-letter queue's ARN, from the source queue's RedrivePolicy. */
    public Uni<String> arn() {
        return source.url()
                .chain(url -> Uni.createFrom().completionStage(() -> source.client().getQueueAttributes(
                        b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))))
                .ifNoItem().after(timeout).fail()
                .map(r -> {
                    String policy = r.attributes().get(QueueAttributeName.REDRIVE_POLICY);
                    Matcher m = policy == null ? null : TARGET_ARN.matcher(policy);
                    if (m == null || !m.find()) {
                        throw new IllegalStateException("queue " + source.name() + " has no redrive policy");
                    }
                    return m.group(1);
                });
    }

    private Uni<String> url(String arn) {
        String[] parts = arn.split(":");
        return Uni.createFrom().completionStage(() -> source.client().getQueueUrl(
                b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4]))).map(r -> r.queueUrl());
    }

    /**
     * Up to {@code limit} messages of the dead-letter queue, without removing them: each is received
     * with a short visibility timeout and made visible again at once.
     */
    public Uni<Peek> peek(int limit) {
        return arn().chain(arn -> url(arn).chain(url -> count(url).chain(count -> collect(url, limit, new LinkedHashMap<>())
                .call(seen -> release(url, seen))
                .map(seen -> new Peek(arn, count, seen.values().stream().map(Seen::letter).toList())))))
                .ifNoItem().after(timeout).fail();
    }

    private Uni<Long> count(String url) {
        return Uni.createFrom().completionStage(() -> source.client().getQueueAttributes(
                b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))
                .map(r -> Long.parseLong(r.attributes().getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        "0")));
    }

    private record Seen(DeadLetter letter, String receiptHandle) {
    }

    private Uni<Map<String, Seen>> collect(String url, int limit, Map<String, Seen> seen) {
        int want = Math.min(10, limit - seen.size());
        if (want <= 0) {
            return Uni.createFrom().item(seen);
        }
        return Uni.createFrom().completionStage(() -> source.client().receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(want).visibilityTimeout(10).waitTimeSeconds(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)))
                .chain(r -> {
                    int before = seen.size();
                    r.messages().forEach(m -> seen.putIfAbsent(m.messageId(), new Seen(new DeadLetter(m.messageId(),
                            m.body(), instant(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)),
                            Integer.parseInt(m.attributes().getOrDefault(
                                    MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0"))),
                            m.receiptHandle())));
                    return seen.size() == before ? Uni.createFrom().item(seen) : collect(url, limit, seen);
                });
    }

    private Uni<Void> release(String url, Map<String, Seen> seen) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        int i = 0;
        for (Seen s : seen.values()) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + i++)
                    .receiptHandle(s.receiptHandle()).visibilityTimeout(0).build());
        }
        Uni<Void> all = Uni.createFrom().voidItem();
        for (int from = 0; from < entries.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> batch = entries.subList(from, Math.min(entries.size(), from + 10));
            all = all.call(() -> Uni.createFrom().completionStage(() -> source.client().changeMessageVisibilityBatch(
                    b -> b.queueUrl(url).entries(batch))));
        }
        return all;
    }

    /** Starts moving every message of the dead-letter queue back to the queue it came from. */
    public Uni<String> redrive() {
        return arn().chain(arn -> Uni.createFrom().completionStage(() -> source.client().startMessageMoveTask(
                b -> b.sourceArn(arn)))).map(r -> r.taskHandle())
                .ifNoItem().after(timeout).fail();
    }

    /** The recent move tasks of the dead-letter queue, newest first. */
    public Uni<List<MoveTask>> moveTasks() {
        return arn().chain(arn -> Uni.createFrom().completionStage(() -> source.client().listMessageMoveTasks(
                b -> b.sourceArn(arn).maxResults(10))))
                .map(r -> r.results().stream().map(t -> new MoveTask(t.taskHandle(), t.status(),
                        t.approximateNumberOfMessagesMoved() == null ? 0 : t.approximateNumberOfMessagesMoved(),
                        t.approximateNumberOfMessagesToMove(), t.failureReason())).toList())
                .ifNoItem().after(timeout).fail();
    }

    private static Instant instant(String epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(Long.parseLong(epochMillis));
    }
}
