package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.SseClient;

/**
 * Live events across replicas: results-service replica 2 applies nothing (its consumer is off), yet its
 * clients get every event replica 1 applies, through PostgreSQL's LISTEN/NOTIFY; a client that was away
 * resumes with Last-Event-ID and misses nothing.
 */
class LiveEventsIT {

    private static final String TENANT = "live-events";
    private static final Map<String, String> AS_TENANT = Map.of("X-Tenant-Id", TENANT);
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("live-events",
            p -> p.configure(Platform.RESULTS_2, "mp.messaging.incoming.recognition-results.enabled=false"));

    @BeforeAll
    static void secondReplica() throws Exception {
        RUNNING.platform().startSecondResults();
    }

    @Test
    void aClientOfTheReplicaThatAppliesNothingGetsEveryEventAndResumesWithoutGaps() throws Exception {
        long lastSeen;
        String first;
        try (SseClient client = connect("/v1/events", Map.of())) {
            assertEquals(200, client.status());
            first = upload(1);
            List<SseClient.Event> events = untilSucceeded(client, first);
            assertEquals(stored(first, 0), describe(events), "every stored event of the job, in order, once");
            // QUEUED (sent by ingest), PROCESSING and SUCCEEDED (by the worker); a status that reached the
            // database after a later one changed nothing and made no event, so only the order is certain.
            List<String> types = events.stream().map(SseClient.Event::type).toList();
            List<String> order = List.of("job.queued", "job.processing", "job.succeeded");
            assertEquals(types, order.stream().filter(types::contains).toList(), types.toString());
            System.out.printf("live events: replica 2 streamed %s%n", types);
            lastSeen = events.get(events.size() - 1).eventId();
        }

        // Away while a second image is processed.
        String second = upload(2);
        RUNNING.api().awaitFinished(second, AS_TENANT, JOB_TIMEOUT);

        try (SseClient client = connect("/v1/events", Map.of("Last-Event-ID", Long.toString(lastSeen)))) {
            List<SseClient.Event> missed = untilSucceeded(client, second);
            assertEquals(stored(null, lastSeen), describe(missed), "exactly what was missed, in order");
            assertTrue(missed.stream().allMatch(e -> e.data().path("jobId").asText().equals(second)), describe(missed)
                    .toString());
            assertTrue(client.quietFor(Duration.ofSeconds(3)), "nothing twice");
        }

        // One job's stream on replica 2: its events, then the end.
        try (SseClient client = connect("/v1/jobs/" + first + "/events", Map.of())) {
            List<SseClient.Event> events = untilSucceeded(client, first);
            assertEquals(stored(first, 0), describe(events));
            client.awaitEnd(Duration.ofSeconds(30));
        }

        // A replica that stops (SIGTERM) ends its streams properly; clients resume on another replica.
        try (SseClient client = connect("/v1/events", Map.of())) {
            assertEquals(200, client.status());
            RUNNING.platform().stop(Platform.RESULTS_2);
            client.awaitEnd(Duration.ofSeconds(60));
            assertTrue(client.endedCleanly(), "the response was ended, not cut");
        }
    }

    private static SseClient connect(String path, Map<String, String> headers) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("X-Api-Key", RUNNING.platform().operatorKey());
        all.put("X-Tenant-Id", TENANT);
        return SseClient.open(RUNNING.platform().secondResultsUrl() + path, all);
    }

    private static String upload(int seed) throws Exception {
        Api.Answer answer = RUNNING.api().uploadRaw(GeneratedImages.jpeg(320 + seed, 240), "image/jpeg", AS_TENANT);
        assertEquals(202, answer.status(), answer.raw().body());
        return answer.body().path("jobId").asText();
    }

    /** Events until the job's job.succeeded (failing on its job.failed). */
    private static List<SseClient.Event> untilSucceeded(SseClient client, String jobId) throws Exception {
        List<SseClient.Event> events = new ArrayList<>();
        while (true) {
            SseClient.Event event = client.next(JOB_TIMEOUT);
            events.add(event);
            if (event.data().path("jobId").asText().equals(jobId)) {
                assertTrue(!event.type().equals("job.failed"), event.data().toString());
                if (event.type().equals("job.succeeded")) {
                    return events;
                }
            }
        }
    }

    private static List<String> describe(List<SseClient.Event> events) {
        return events.stream().map(e -> e.id() + " " + e.type() + " " + e.data().path("jobId").asText()).toList();
    }

    /** The tenant's stored events (of one job, when given) after an id, as the stream should show them. */
    private static List<String> stored(String jobId, long afterId) throws Exception {
        List<String> events = new ArrayList<>();
        try (Connection c = RUNNING.platform().database();
                PreparedStatement s = c.prepareStatement("SELECT event_id, type, job_id FROM job_events WHERE tenant = ?"
                        + " AND event_id > ? AND (?::text IS NULL OR job_id = ?) ORDER BY event_id")) {
            s.setString(1, TENANT);
            s.setLong(2, afterId);
            s.setString(3, jobId);
            s.setString(4, jobId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
        }
        return events;
    }
}
