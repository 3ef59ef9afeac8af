package io.imagerec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.imagerec.contracts.Feature;

/** The client's HTTP exchanges against a real HTTP server that answers the platform's contract. */
class PlatformClientTest {

    /** A clock that only moves when the client "sleeps": retries are decided without waiting. */
    static final class SteppedClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-25T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private StubPlatform stub;
    private final SteppedClock clock = new SteppedClock();
    private final List<Duration> slept = new CopyOnWriteArrayList<>();
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        stub = new StubPlatform();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private PlatformClient client(String endpoint, String tenant, List<Feature> features) {
        UploadOptions options = new UploadOptions(URI.create(endpoint), URI.create(stub.url()), tenant, "secret-key",
                features, 70f, 5);
        return new PlatformClient(PlatformClient.newHttpClient(), options,
                new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(1), () -> 0.5),
                d -> {
                    slept.add(d);
                    clock.now = clock.now.plus(d);
                }, clock, Duration.ofSeconds(10));
    }

    private Path jpeg(String name) throws Exception {
        return Files.write(dir.resolve(name), ImageBytes.image("jpg", name.hashCode()));
    }

    @Test
    void anUnavailableServerIsRetriedAfterItsRetryAfterWithTheSameIdempotencyKey() throws Exception {
        Path file = jpeg("a.jpg");
        stub.failNext("POST /v1/images", 503, "2", "QUEUE_UNAVAILABLE");
        stub.failNext("POST /v1/images", 429, "1", "THROTTLED");

        PlatformClient.Outcome outcome = client(stub.url(), "team-a", List.of(Feature.LABELS, Feature.TEXT))
                .upload(file, "image/jpeg", "imagerec-v1-key");

        PlatformClient.Accepted accepted = assertInstanceOf(PlatformClient.Accepted.class, outcome);
        assertEquals("QUEUED", accepted.status());
        assertTrue(accepted.jobId().startsWith("job-"));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(1)), slept);
        List<StubPlatform.Request> tries = stub.all("POST /v1/images");
        assertEquals(3, tries.size());
        for (StubPlatform.Request r : tries) {
            assertEquals("imagerec-v1-key", r.header("Idempotency-Key"));
            assertEquals("image/jpeg", r.header("Content-Type"));
            assertEquals("team-a", r.header("X-Tenant-Id"));
            assertEquals("secret-key", r.header("X-Api-Key"));
            assertEquals("features=LABELS%2CTEXT&minConfidence=70.0&maxLabels=5", r.query());
            assertArrayEquals(Files.readAllBytes(file), r.body());
        }
    }

    @Test
    void anUploadInProgressUnderTheSameKeyIsWaitedFor() throws Exception {
        stub.failNext("POST /v1/images", 409, "3", "IDEMPOTENCY_KEY_IN_USE");
        PlatformClient.Outcome outcome = client(stub.url(), null, List.of()).upload(jpeg("a.jpg"), "image/jpeg", "k");
        assertInstanceOf(PlatformClient.Accepted.class, outcome);
        assertEquals(List.of(Duration.ofSeconds(3)), slept);
        assertNull(stub.all("POST /v1/images").get(0).header("X-Tenant-Id"), "no tenant given, none sent");
        assertEquals("minConfidence=70.0&maxLabels=5", stub.all("POST /v1/images").get(0).query(),
                "no features given, none sent: the server's default applies");
    }

    @Test
    void aRefusalIsTheFilesAnswerAtOnceWithTheApisCode() throws Exception {
        Path notAnImage = Files.writeString(dir.resolve("fake.jpg"), "hello");
        PlatformClient.Outcome outcome = client(stub.url(), null, List.of()).upload(notAnImage, "image/jpeg", "k");
        PlatformClient.Refused refused = assertInstanceOf(PlatformClient.Refused.class, outcome);
        assertEquals(415, refused.httpStatus());
        assertEquals("UNSUPPORTED_IMAGE_TYPE", refused.code());
        assertEquals("not a JPEG or PNG", refused.message());
        assertEquals(1, stub.count("POST /v1/images"));
        assertTrue(slept.isEmpty());
    }

    @Test
    void noAnswerIsRetriedWithGrowingDelaysUntilTheBudgetIsSpent() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        PlatformClient.Outcome outcome = client("http://127.0.0.1:" + closed, null, List.of())
                .upload(jpeg("a.jpg"), "image/jpeg", "k");
        PlatformClient.Refused refused = assertInstanceOf(PlatformClient.Refused.class, outcome);
        assertEquals(0, refused.httpStatus());
        assertEquals("NO_ANSWER", refused.code());
        assertTrue(slept.size() >= 4, slept.toString());
        for (int i = 1; i < 5; i++) {
            assertTrue(slept.get(i).compareTo(slept.get(i - 1)) > 0, "growing: " + slept);
        }
        Duration total = slept.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(total.compareTo(Duration.ofMinutes(1)) <= 0, "within the budget: " + total);
    }

    @Test
    void aDirectUploadPutsTheBytesWithExactlyTheGivenHeadersThenCompletes() throws Exception {
        Path file = Files.write(dir.resolve("b.png"), ImageBytes.image("png", 3));
        PlatformClient.Outcome outcome = client(stub.url(), "team-a", List.of(Feature.FACES))
                .uploadDirect(file, Files.size(file), "image/png");

        PlatformClient.Accepted accepted = assertInstanceOf(PlatformClient.Accepted.class, outcome);
        StubPlatform.Request create = stub.all("POST /v1/uploads").get(0);
        assertEquals("{\"contentType\":\"image/png\",\"contentLength\":" + Files.size(file)
                + ",\"features\":[\"FACES\"],\"minConfidence\":70.0,\"maxLabels\":5}", new String(create.body()));
        assertEquals("team-a", create.header("X-Tenant-Id"));
        StubPlatform.Request put = stub.all("PUT /bucket/direct/").get(0);
        assertEquals("image/png", put.header("Content-Type"));
        assertEquals(Long.toString(Files.size(file)), put.header("Content-Length"));
        assertNull(put.header("X-Api-Key"), "the API key is not sent to S3");
        assertNull(put.header("X-Tenant-Id"));
        assertArrayEquals(Files.readAllBytes(file), put.body());
        assertEquals(1, stub.count("POST /v1/uploads/up-"));
        assertTrue(stub.all("POST /v1/uploads/").get(0).path().endsWith("/complete"));
        assertEquals("QUEUED", accepted.status());
    }

    @Test
    void aDirectCompletionThatIsUnavailableIsRetriedAndAnExpiredUploadIsStartedAgain() throws Exception {
        Path file = jpeg("c.jpg");
        stub.failNext("POST /v1/uploads/up-", 503, "4", "QUEUE_UNAVAILABLE");
        stub.failNext("POST /v1/uploads/up-", 410, null, "UPLOAD_EXPIRED");
        PlatformClient.Outcome outcome = client(stub.url(), null, List.of()).uploadDirect(file, Files.size(file),
                "image/jpeg");
        assertInstanceOf(PlatformClient.Accepted.class, outcome);
        assertEquals(List.of(Duration.ofSeconds(4)), slept);
        assertEquals(2, stub.count("PUT /bucket/direct/"), "a second upload after the first expired");
    }

    @Test
    void aRefusedPresignedPutReportsS3sCode() throws Exception {
        Path file = jpeg("d.jpg");
        // Declaring another length than the file has: S3 refuses the signature.
        PlatformClient.Outcome outcome = client(stub.url(), null, List.of()).uploadDirect(file, Files.size(file) + 1,
                "image/jpeg");
        PlatformClient.Refused refused = assertInstanceOf(PlatformClient.Refused.class, outcome);
        assertEquals(403, refused.httpStatus());
        assertEquals("SignatureDoesNotMatch", refused.code());
    }

    @Test
    void aJobIsReadWithTheTenantAndItsRetryAfter() throws Exception {
        stub.failNext("GET /v1/jobs/", 503, "6", "DATABASE_UNAVAILABLE");
        PlatformClient client = client(stub.url(), "team-a", List.of());
        PlatformClient.JobAnswer unavailable = client.job("job-9");
        assertEquals(503, unavailable.httpStatus());
        assertEquals("DATABASE_UNAVAILABLE", unavailable.code());
        assertEquals(Duration.ofSeconds(6), unavailable.retryAfter().orElseThrow());
        PlatformClient.JobAnswer queued = client.job("job-9");
        assertEquals("QUEUED", queued.job().path("status").asText());
        assertEquals("team-a", stub.all("GET /v1/jobs/job-9").get(1).header("X-Tenant-Id"));
    }
}
