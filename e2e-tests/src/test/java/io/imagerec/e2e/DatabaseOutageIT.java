package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL unreachable for four minutes, longer than the results queue's five receives of 30 s:
 * uploads go on, results wait on the queue with nothing dead-lettered, and every job ends SUCCEEDED
 * once the database is back.
 */
class DatabaseOutageIT {

    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("database-outage");

    @Test
    void resultsWaitOutAFourMinuteDatabaseOutage() throws Exception {
        Jobs.awaitAllSucceeded(RUNNING.platform(), Jobs.upload(RUNNING.api(), 2, 1), Duration.ofMinutes(2));

        RUNNING.platform().postgres.refuse();
        List<String> jobs = Jobs.upload(RUNNING.api(), 10, 10);
        Thread.sleep(20_000);
        Api.Answer answer = RUNNING.api().get("/v1/jobs/" + jobs.get(0), Map.of());
        assertEquals(503, answer.status(), answer.raw().body());
        assertEquals("DATABASE_UNAVAILABLE", answer.body().path("error").path("code").asText());
        Thread.sleep(Duration.ofMinutes(4).minusSeconds(20).toMillis());
        assertEquals(0, RUNNING.platform().deadLetters("recognition-results-dlq"), "no result was dead-lettered");
        RUNNING.platform().postgres.pass();

        Jobs.awaitAllSucceeded(RUNNING.platform(), jobs, Duration.ofMinutes(3));
        assertEquals(0, RUNNING.platform().deadLetters("recognition-results-dlq"));
        assertEquals(0, RUNNING.platform().deadLetters("recognition-jobs-dlq"));
        Jobs.awaitAllSucceeded(RUNNING.platform(), Jobs.upload(RUNNING.api(), 1, 50), Duration.ofMinutes(2));
    }
}
