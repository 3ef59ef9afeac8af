package io.imagerec.results.events;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.JobStatus;
import io.imagerec.results.Results;
import io.imagerec.testsupport.SseClient;
import io.imagerec.security.ApiKeys;
import io.imagerec.security.Caller;
import io.imagerec.security.Scope;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.OperatorKey;
import io.imagerec.testsupport.TestCloud;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Live events against the real database and queue: results go through the results queue, and a real
 * HTTP client reads the stream.
 */
@QuarkusTest
@TestProfile(EventsTestProfile.class)
class EventsResourceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    EventFeed feed;

    @Inject
    ApiKeys keys;

    @Inject
    MeterRegistry metrics;

    @Inject
    EventRetention retention;

    @BeforeEach
    void quietStart() {
        OperatorKey.use();
        // Every stream of an earlier test is gone (the server notices a closed connection by itself).
        Results.await("earlier streams closed", WAIT, () -> feed.openStreams() == 0);
    }

    @Test
    void aClientGetsEachEventInOrderAsResultsAreApplied() throws Exception {
        String tenant = tenant();
        String job = Results.newJobId();
        try (SseClient client = events(tenant, "/v1/events", Map.of())) {
            assertEquals(200, client.status());
            assertTrue(client.header("Content-Type").startsWith("text/event-stream"), client.header("Content-Type"));
            long previous = 0;
            for (JobStatus status : List.of(JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.SUCCEEDED)) {
                Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // PostgreSQL's precision
                Results.send(Results.of(job, tenant, status, at));
                SseClient.Event event = client.next(WAIT);
                String type = "job." + status.name().toLowerCase();
                assertEquals(type, event.type());
                assertTrue(event.eventId() > previous, event.id() + " after " + previous);
                previous = event.eventId();
                // The documented shape: "id: <n>", "event: <type>", "data: <JSON>".
                assertEquals(List.of("id: " + event.id(), "event: " + type), event.lines().subList(0, 2));
                assertTrue(event.lines().get(2).startsWith("data: {"), event.lines().toString());
                assertEquals(event.eventId(), event.data().path("eventId").asLong());
                assertEquals(type, event.data().path("type").asText());
                assertEquals(job, event.data().path("jobId").asText());
                assertEquals("img-" + job, event.data().path("imageId").asText());
                assertEquals(status.name(), event.data().path("status").asText());
                assertEquals(at, Instant.parse(event.data().path("occurredAt").asText()));
                assertEquals(6, event.data().size(), event.data().toString());
            }
            // A keep-alive comment while nothing happens (every 2 s in this profile).
            assertTrue(client.quietFor(Duration.ofSeconds(5)));
            assertTrue(client.comments().contains(": keep-alive"), client.comments().toString());
        }
    }

    @Test
    void aClientThatReconnectsWithLastEventIdGetsExactlyWhatItMissed() throws Exception {
        String tenant = tenant();
        String a = Results.newJobId();
        String b = Results.newJobId();
        long first;
        try (SseClient client = events(tenant, "/v1/events", Map.of())) {
            Results.send(Results.of(a, tenant, JobStatus.QUEUED, Instant.now()));
            first = client.next(WAIT).eventId();
        }
        // Missed while disconnected: three events, applied one after the other.
        applied(tenant, a, JobStatus.PROCESSING);
        applied(tenant, b, JobStatus.QUEUED);
        applied(tenant, a, JobStatus.SUCCEEDED);

        try (SseClient client = events(tenant, "/v1/events", Map.of("Last-Event-ID", Long.toString(first)))) {
            List<String> missed = new ArrayList<>();
            long previous = first;
            for (int i = 0; i < 3; i++) {
                SseClient.Event e = client.next(WAIT);
                assertTrue(e.eventId() > previous);
                previous = e.eventId();
                missed.add(e.data().path("jobId").asText() + " " + e.type());
            }
            assertEquals(List.of(a + " job.processing", b + " job.queued", a + " job.succeeded"), missed);
            // Then live, from where the replay stopped: the next event is the new one, nothing twice.
            Results.send(Results.of(b, tenant, JobStatus.PROCESSING, Instant.now()));
            SseClient.Event live = client.next(WAIT);
            assertEquals(b + " job.processing", live.data().path("jobId").asText() + " " + live.type());
            assertTrue(live.eventId() > previous);
            assertTrue(client.quietFor(Duration.ofSeconds(3)));
        }
        // ?lastEventId= for clients that cannot set headers; 0 replays every retained event of the tenant.
        try (SseClient client = events(tenant, "/v1/events?lastEventId=0", Map.of())) {
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                SseClient.Event e = client.next(WAIT);
                all.add(e.data().path("jobId").asText() + " " + e.type());
            }
            assertEquals(List.of(a + " job.queued", a + " job.processing", b + " job.queued", a + " job.succeeded",
                    b + " job.processing"), all);
            assertTrue(client.quietFor(Duration.ofSeconds(3)));
        }
    }

    @Test
    void anotherTenantsEventsNeverAppear() throws Exception {
        String mine = tenant();
        String theirs = tenant();
        String myKey = key(mine);
        String myJob = Results.newJobId();
        // A tenant's own key: X-Tenant-Id cannot point it at another tenant.
        try (SseClient client = SseClient.open(base() + "/v1/events", Map.of("X-Api-Key", myKey, "X-Tenant-Id", theirs));
                SseClient other = events(theirs, "/v1/events", Map.of())) {
            assertEquals(200, client.status());
            String theirJob = Results.newJobId();
            Results.send(Results.of(theirJob, theirs, JobStatus.QUEUED, Instant.now()));
            assertEquals(theirJob, other.next(WAIT).data().path("jobId").asText());
            Results.send(Results.of(myJob, mine, JobStatus.QUEUED, Instant.now()));
            assertEquals(myJob, client.next(WAIT).data().path("jobId").asText(), "the first event is my own");
            assertTrue(other.quietFor(Duration.ofSeconds(3)));
        }
        // Nor in a replay from the start.
        try (SseClient client = SseClient.open(base() + "/v1/events?lastEventId=0", Map.of("X-Api-Key", myKey))) {
            assertEquals(myJob, client.next(WAIT).data().path("jobId").asText());
            assertTrue(client.quietFor(Duration.ofSeconds(3)), "only my one event");
        }
    }

    @Test
    void aJobsStreamEndsAfterItSucceeds() throws Exception {
        String tenant = tenant();
        String job = JobIds.next(Instant.now()); // within the pending window: its stream opens before any event
        List<Long> ids = new ArrayList<>();
        try (SseClient client = events(tenant, "/v1/jobs/" + job + "/events", Map.of())) {
            assertEquals(200, client.status());
            // Another job of the tenant is not this stream's.
            Results.send(Results.of(Results.newJobId(), tenant, JobStatus.QUEUED, Instant.now()));
            for (JobStatus status : List.of(JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.SUCCEEDED)) {
                Results.send(Results.of(job, tenant, status, Instant.now()));
                SseClient.Event event = client.next(WAIT);
                assertEquals(job, event.data().path("jobId").asText());
                assertEquals(status.name(), event.data().path("status").asText());
                ids.add(event.eventId());
            }
            client.awaitEnd(WAIT);
        }
        // A finished job: its events, then the end.
        try (SseClient client = events(tenant, "/v1/jobs/" + job + "/events", Map.of())) {
            List<Long> replayed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                replayed.add(client.next(WAIT).eventId());
            }
            assertEquals(ids, replayed);
            client.awaitEnd(WAIT);
        }
        // Resumed after its last event: nothing, then the end.
        try (SseClient client = events(tenant, "/v1/jobs/" + job + "/events", Map.of("Last-Event-ID",
                Long.toString(ids.get(2))))) {
            assertEquals(200, client.status());
            client.awaitEnd(WAIT);
        }
    }

    @Test
    void aJobOfAnotherTenantOrUnknownIs404LikeGetJob() throws Exception {
        String owner = tenant();
        String job = JobIds.next(Instant.now().minus(Duration.ofHours(2))); // outside the pending window
        applied(owner, job, JobStatus.SUCCEEDED);
        try (SseClient client = events(tenant(), "/v1/jobs/" + job + "/events", Map.of())) {
            assertEquals(404, client.status());
            assertEquals("JOB_NOT_FOUND", client.errorBody().path("error").path("code").asText());
        }
        try (SseClient client = events(owner, "/v1/jobs/" + UUID.randomUUID() + "/events", Map.of())) {
            assertEquals(404, client.status());
            assertEquals("JOB_NOT_FOUND", client.errorBody().path("error").path("code").asText());
        }
        try (SseClient client = events(owner, "/v1/jobs/" + job + "/events", Map.of())) {
            assertEquals(200, client.status());
            assertEquals("job.succeeded", client.next(WAIT).type());
            client.awaitEnd(WAIT);
        }
    }

    @Test
    void aMalformedLastEventIdIs400() throws Exception {
        for (String bad : List.of("abc", "-1", "1.5", "12345678901234567890", "0x10", "1 2")) {
            try (SseClient client = events(tenant(), "/v1/events", Map.of("Last-Event-ID", bad))) {
                assertEquals(400, client.status(), bad);
                assertEquals("INVALID_LAST_EVENT_ID", client.errorBody().path("error").path("code").asText());
            }
        }
        given().header("X-Tenant-Id", tenant()).get("/v1/events?lastEventId=x").then().statusCode(400);
        given().header("X-Tenant-Id", tenant()).get("/v1/jobs/" + JobIds.next(Instant.now()) + "/events?lastEventId=-5")
                .then().statusCode(400);
        // No key: 401, like every /v1 endpoint.
        RestAssured.requestSpecification = null;
        given().get("/v1/events").then().statusCode(401);
    }

    @Test
    void aReplicaRefusesStreamsBeyondItsLimitWith503() throws Exception {
        String tenant = tenant();
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < EventsTestProfile.MAX_STREAMS; i++) {
                open.add(events(tenant, "/v1/events", Map.of()));
                assertEquals(200, open.get(i).status());
            }
            Results.await("streams counted", WAIT, () -> feed.openStreams() == EventsTestProfile.MAX_STREAMS);
            assertEquals(EventsTestProfile.MAX_STREAMS, metrics.get("results.events.streams").gauge().value());
            try (SseClient refused = events(tenant, "/v1/events", Map.of())) {
                assertEquals(503, refused.status());
                assertEquals("5", refused.header("Retry-After"));
                assertEquals("TOO_MANY_STREAMS", refused.errorBody().path("error").path("code").asText());
            }
        } finally {
            open.forEach(SseClient::close);
        }
        Results.await("streams closed", WAIT, () -> feed.openStreams() == 0);
        try (SseClient again = events(tenant, "/v1/events", Map.of())) {
            assertEquals(200, again.status());
        }
    }

    @Test
    void eventsCommittedWhileTheListenerIsCutOffArriveWhenItIsBack() throws Exception {
        String tenant = tenant();
        try (SseClient client = events(tenant, "/v1/events", Map.of())) {
            Results.await("listening", WAIT, feed::listening);
            LocalCloudResource.cloud().postgres().refuse();
            String job = Results.newJobId();
            try {
                Results.await("the listener noticed", WAIT, () -> !feed.listening());
                // Committed straight to the database while this replica cannot hear it: its NOTIFY is lost.
                try (Connection c = LocalCloudResource.cloud().database()) {
                    c.setAutoCommit(false);
                    EventLog.append(c, Results.of(job, tenant, JobStatus.QUEUED, Instant.now()));
                    c.commit();
                }
                assertTrue(client.quietFor(Duration.ofSeconds(2)));
            } finally {
                LocalCloudResource.cloud().postgres().pass();
            }
            SseClient.Event event = client.next(WAIT);
            assertEquals(job, event.data().path("jobId").asText());
            // And live again afterwards.
            Results.send(Results.of(job, tenant, JobStatus.PROCESSING, Instant.now()));
            assertEquals("job.processing", client.next(WAIT).type());
        }
    }

    @Test
    void oldEventsAreDeletedAndAnOlderLastEventIdResumesFromTheOldestKept() throws Exception {
        String tenant = tenant();
        List<Long> ids = new ArrayList<>();
        try (Connection c = LocalCloudResource.cloud().database()) {
            for (int daysAgo : new int[] { 9, 8, 1 }) {
                try (var s = c.prepareStatement("INSERT INTO job_events (tenant, job_id, image_id, type, status,"
                        + " occurred_at, created_at) VALUES (?, ?, 'img', 'job.queued', 'QUEUED', now(),"
                        + " now() - make_interval(days => ?)) RETURNING event_id")) {
                    s.setString(1, tenant);
                    s.setString(2, "job-" + daysAgo);
                    s.setInt(3, daysAgo);
                    try (var rs = s.executeQuery()) {
                        rs.next();
                        ids.add(rs.getLong(1));
                    }
                }
            }
        }
        assertTrue(retention.purge() >= 2);
        try (SseClient client = events(tenant, "/v1/events", Map.of("Last-Event-ID", Long.toString(ids.get(0) - 1)))) {
            SseClient.Event oldestKept = client.next(WAIT);
            assertEquals(ids.get(2), oldestKept.eventId());
            assertEquals("job-1", oldestKept.data().path("jobId").asText());
            assertTrue(client.quietFor(Duration.ofSeconds(2)));
        }
    }

    private static String tenant() {
        return "ev-" + UUID.randomUUID().toString().substring(0, 12);
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    /** A stream opened with the operator's key, acting for {@code tenant}. */
    private static SseClient events(String tenant, String path, Map<String, String> headers) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("X-Api-Key", TestCloud.OPERATOR_KEY);
        all.put("X-Tenant-Id", tenant);
        return SseClient.open(base() + path, all);
    }

    /** Sends a result and waits until the job shows it. */
    private static void applied(String tenant, String job, JobStatus status) {
        Results.send(Results.of(job, tenant, status, Instant.now()));
        Results.await(job + " " + status, WAIT, () -> status.name().equals(given().header("X-Tenant-Id", tenant)
                .get("/v1/jobs/" + job).then().extract().path("status")));
    }

    private String key(String tenant) {
        Caller operator = new Caller("test", Caller.ANY_TENANT, EnumSet.allOf(Scope.class));
        return keys.create(operator, tenant, "events test", EnumSet.of(Scope.READ)).await().atMost(WAIT).key().value();
    }
}
