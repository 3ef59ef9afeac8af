package io.imagerec.aws.sqs;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;
import io.smallrye.mutiny.Uni;

/** The dead-letter endpoints' answers, the same in every service that consumes a queue. */
public final class DeadLetterView {

    public static final int MAX_LIMIT = 100;

    /** One dead message; {@code body} is its JSON when it is JSON, else its text. */
    public record Letter(String messageId, Instant sentAt, int receiveCount, JsonNode body) {
    }

    public record Listing(String deadLetterQueueArn, long approximateCount, List<Letter> messages) {
    }

    public record Redrive(String deadLetterQueueArn, String taskHandle) {
    }

    private DeadLetterView() {
    }

    /** Up to {@code limit} messages; a limit outside 1 to 100 is refused with IllegalArgumentException. */
    public static Uni<Listing> list(DeadLetterQueue queue, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return Uni.createFrom().failure(new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT));
        }
        return queue.peek(limit).map(p -> new Listing(p.queueArn(), p.approximateCount(), p.messages().stream()
                .map(m -> new Letter(m.messageId(), m.sentAt(), m.receiveCount(), body(m.body()))).toList()));
    }

    public static Uni<Redrive> redrive(DeadLetterQueue queue) {
        return queue.arn().chain(arn -> queue.redrive().map(task -> new Redrive(arn, task)));
    }

    private static JsonNode body(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            return Json.mapper().getNodeFactory().textNode(text);
        }
    }
}
