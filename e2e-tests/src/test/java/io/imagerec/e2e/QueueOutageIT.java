package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.imagerec.testsupport.GeneratedImages;

/**
 * SQS unreachable for six minutes, longer than any retry budget of a single call: uploads are refused
 * with 503 meanwhile, the jobs accepted before it all end SUCCEEDED afterwards, and both consumers are
 * still consuming (their channels did not end).
 */
class QueueOutageIT {

    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("queue-outage");

    @Test
    void jobsAndConsumersSurviveASixMinuteQueueOutage() throws Exception {
        Jobs.awaitAllSucceeded(RUNNING.platform(), Jobs.upload(RUNNING.api(), 2, 1), Duration.ofMinutes(2));

        List<String> jobs = Jobs.upload(RUNNING.api(), 10, 10);
        RUNNING.platform().sqs.refuse();
        Api.Answer refused = RUNNING.api().uploadRaw(GeneratedImages.jpeg(120, 99), "image/jpeg", Map.of());
        assertEquals(503, refused.status(), refused.raw().body());
        assertEquals("QUEUE_UNAVAILABLE", refused.body().path("error").path("code").asText());
        Thread.sleep(Duration.ofMinutes(6).toMillis());
        RUNNING.platform().sqs.pass();

        Jobs.awaitAllSucceeded(RUNNING.platform(), jobs, Duration.ofMinutes(4));
        assertEquals(0, RUNNING.platform().deadLetters("recognition-jobs-dlq"));
        assertEquals(0, RUNNING.platform().deadLetters("recognition-results-dlq"));
        Jobs.awaitAllSucceeded(RUNNING.platform(), Jobs.upload(RUNNING.api(), 3, 50), Duration.ofMinutes(2));
    }
}
