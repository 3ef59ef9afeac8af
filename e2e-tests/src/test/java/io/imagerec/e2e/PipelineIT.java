package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;
import io.imagerec.testsupport.GeneratedImages;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline on the embedded local cloud: upload → S3 → SQS → worker → rekognition-local →
 * results queue → PostgreSQL → results API, with every part a real server in its own process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final Map<String, String> NO_HEADERS = Map.of();

    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("pipeline");

    @Test
    @Order(1)
    void anUploadIsAcceptedAndItsJobSucceeds() throws Exception {
        Api.Answer answer = RUNNING.api().uploadMultipart("picture.jpg", jpeg(640, 480), NO_HEADERS, null);

        assertEquals(202, answer.status(), answer.raw().body());
        String jobId = answer.body().path("jobId").asText();
        String imageId = answer.body().path("imageId").asText();
        assertEquals("QUEUED", answer.body().path("status").asText());
        assertEquals(RUNNING.platform().resultsUrl() + "/v1/jobs/" + jobId, answer.raw().headers().firstValue("Location")
                .orElseThrow());
        // Following the Location at once never answers 404, even before the QUEUED event is stored.
        Api.Answer atOnce = RUNNING.api().get("/v1/jobs/" + jobId, NO_HEADERS);
        assertEquals(200, atOnce.status(), atOnce.raw().body());
        assertEquals(jobId, atOnce.body().path("jobId").asText());

        JsonNode job = RUNNING.api().awaitFinished(jobId, NO_HEADERS, JOB_TIMEOUT);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals("local", job.path("engine").asText());
        assertEquals("3.0", job.path("modelVersion").asText());
        assertTrue(job.path("labels").isArray(), job.toString());
        assertNotNull(job.path("completedAt").textValue());

        JsonNode image = RUNNING.api().get("/v1/images/" + imageId, NO_HEADERS).body();
        assertEquals(jobId, image.path("jobs").get(0).path("jobId").asText());
    }

    @Test
    @Order(2)
    void sampleImagesGetTheLabelsTheirGroundTruthLists() throws Exception {
        Path testdata = testdata();
        JsonNode manifest = Json.mapper().readTree(testdata.resolve("manifest.json").toFile());
        Map<String, JsonNode> jobsByFile = new LinkedHashMap<>();
        Map<String, String> jobIds = new LinkedHashMap<>();
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            if (!file.startsWith("objects/")) {
                continue;
            }
            Api.Answer answer = RUNNING.api().uploadMultipart(Path.of(file).getFileName().toString(),
                    Files.readAllBytes(testdata.resolve(file)), NO_HEADERS, "minConfidence=50");
            assertEquals(202, answer.status(), file + ": " + answer.raw().body());
            jobIds.put(file, answer.body().path("jobId").asText());
        }
        for (Map.Entry<String, String> e : jobIds.entrySet()) {
            jobsByFile.put(e.getKey(), RUNNING.api().awaitFinished(e.getValue(), NO_HEADERS, JOB_TIMEOUT));
        }
        int present = 0;
        int found = 0;
        List<String> missed = new ArrayList<>();
        List<String> falseReports = new ArrayList<>();
        for (JsonNode entry : manifest) {
            JsonNode job = jobsByFile.get(entry.path("file").asText());
            if (job == null) {
                continue;
            }
            assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
            Set<String> names = new HashSet<>();
            job.path("labels").forEach(l -> names.add(l.path("Name").asText()));
            for (JsonNode label : entry.path("labels_present")) {
                present++;
                if (names.contains(label.asText())) {
                    found++;
                } else {
                    missed.add(entry.path("file").asText() + ":" + label.asText());
                }
            }
            entry.path("labels_absent").forEach(l -> {
                if (names.contains(l.asText())) {
                    falseReports.add(entry.path("file").asText() + ":" + l.asText());
                }
            });
        }
        System.out.printf("pipeline: %d of %d present labels found; missed %s%n", found, present, missed);
        assertTrue(found >= 0.8 * present, found + " of " + present + "; missed " + missed);
        assertEquals(List.of(), falseReports);

        // Label search: both dog photos, newest first, paged by cursor.
        JsonNode dogs = RUNNING.api().get("/v1/images?label=Dog&minConfidence=50", NO_HEADERS).body();
        Set<String> dogJobs = new HashSet<>();
        dogs.path("items").forEach(i -> dogJobs.add(i.path("jobId").asText()));
        assertTrue(dogJobs.contains(jobIds.get("objects/dog.jpg")), dogs.toString());
        assertTrue(dogJobs.contains(jobIds.get("objects/dogs_frisbee.jpg")), dogs.toString());
        JsonNode first = RUNNING.api().get("/v1/images?label=Dog&minConfidence=50&limit=1", NO_HEADERS).body();
        assertEquals(1, first.path("items").size());
        String cursor = first.path("nextCursor").asText();
        JsonNode second = RUNNING.api().get("/v1/images?label=Dog&minConfidence=50&limit=1&cursor=" + cursor, NO_HEADERS)
                .body();
        assertEquals(1, second.path("items").size());
        assertNotEquals(first.path("items").get(0).path("jobId"), second.path("items").get(0).path("jobId"));
        assertTrue(first.path("items").get(0).path("submittedAt").asText()
                .compareTo(second.path("items").get(0).path("submittedAt").asText()) >= 0, "newest first");
        JsonNode confident = RUNNING.api().get("/v1/images?label=Dog&minConfidence=99.9", NO_HEADERS).body();
        confident.path("items").forEach(i -> assertTrue(i.path("confidence").asDouble() >= 99.9));
    }

    @Test
    @Order(3)
    void badUploadsAreRefusedWithStableCodes() throws Exception {
        expectError(RUNNING.api().uploadRaw(new byte[0], "image/jpeg", NO_HEADERS), 400, "EMPTY_IMAGE");
        expectError(RUNNING.api().uploadRaw("hello".getBytes(), "text/plain", NO_HEADERS), 415, "UNSUPPORTED_MEDIA_TYPE");
        expectError(RUNNING.api().uploadRaw("not an image at all".getBytes(), "image/jpeg", NO_HEADERS), 415,
                "UNSUPPORTED_IMAGE_TYPE");
        byte[] tooLarge = Arrays.copyOf(jpeg(100, 100), 15 * 1024 * 1024 + 1);
        expectError(RUNNING.api().uploadRaw(tooLarge, "image/jpeg", NO_HEADERS), 413, "IMAGE_TOO_LARGE");
        expectError(RUNNING.api().uploadMultipart("a.jpg", jpeg(200, 200), NO_HEADERS, "features=LABELS,NONSENSE"), 400,
                "INVALID_PARAMETER");
        expectError(RUNNING.api().uploadMultipart("a.jpg", jpeg(200, 200), Map.of("X-Tenant-Id", "Not A Tenant!"), null), 400,
                "INVALID_TENANT");
    }

    @Test
    @Order(4)
    void anImageTheEngineCannotReadEndsFailedWithItsErrorCode() throws Exception {
        byte[] jpeg = jpeg(640, 480);
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        Api.Answer answer = RUNNING.api().uploadRaw(truncated, "image/jpeg", NO_HEADERS);
        assertEquals(202, answer.status(), answer.raw().body());
        JsonNode job = RUNNING.api().awaitFinished(answer.body().path("jobId").asText(), NO_HEADERS, JOB_TIMEOUT);
        assertEquals("FAILED", job.path("status").asText());
        assertEquals("InvalidImageFormatException", job.path("error").path("code").asText(), job.toString());
    }

    @Test
    @Order(8)
    void facesAreCountedStoredAndSearchableByCount() throws Exception {
        Path testdata = testdata();
        Api.Answer pair = RUNNING.api().uploadMultipart("two_people.jpg",
                Files.readAllBytes(testdata.resolve("faces/two_people.jpg")), NO_HEADERS, "features=FACES");
        assertEquals(202, pair.status(), pair.raw().body());
        Api.Answer none = RUNNING.api().uploadMultipart("horses.jpg",
                Files.readAllBytes(testdata.resolve("objects/horses.jpg")), NO_HEADERS, "features=FACES");
        String pairJob = pair.body().path("jobId").asText();
        String noneJob = none.body().path("jobId").asText();
        JsonNode withFaces = RUNNING.api().awaitFinished(pairJob, NO_HEADERS, JOB_TIMEOUT);
        assertEquals("SUCCEEDED", withFaces.path("status").asText(), withFaces.toString());
        JsonNode faces = withFaces.path("faceDetails");
        assertEquals(2, faces.size(), withFaces.toString());
        JsonNode face = faces.get(0);
        assertTrue(face.path("BoundingBox").path("Width").asDouble() > 0.05, face.toString());
        assertTrue(face.path("AgeRange").has("Low") && face.path("Emotions").isArray(), "FACES asks for ALL attributes");
        assertEquals("Male", face.path("Gender").path("Value").asText(), face.toString());
        assertTrue(withFaces.path("labels").isMissingNode() || withFaces.path("labels").isNull(),
                "only FACES was asked for: " + withFaces);
        assertTrue(withFaces.path("moderationLabels").isMissingNode() || withFaces.path("moderationLabels").isNull(),
                "only FACES was asked for: " + withFaces);
        JsonNode withoutFaces = RUNNING.api().awaitFinished(noneJob, NO_HEADERS, JOB_TIMEOUT);
        assertEquals(0, withoutFaces.path("faceDetails").size(), withoutFaces.toString());

        Set<String> twoOrMore = new HashSet<>();
        RUNNING.api().get("/v1/images?minFaces=2", NO_HEADERS).body().path("items").forEach(i -> twoOrMore.add(i.path("jobId").asText()));
        assertTrue(twoOrMore.contains(pairJob) && !twoOrMore.contains(noneJob), twoOrMore.toString());
        Set<String> noFaces = new HashSet<>();
        RUNNING.api().get("/v1/images?maxFaces=0", NO_HEADERS).body().path("items").forEach(i -> noFaces.add(i.path("jobId").asText()));
        assertTrue(noFaces.contains(noneJob) && !noFaces.contains(pairJob), noFaces.toString());
        assertEquals(0, RUNNING.api().get("/v1/images?minFaces=2", Map.of("X-Tenant-Id", "someone-else")).body()
                .path("items").size(), "another tenant's images are not listed");
        expectError(RUNNING.api().get("/v1/images?minFaces=3&maxFaces=1", NO_HEADERS), 400, "INVALID_PARAMETER");
    }

    @Test
    @Order(7)
    void textIsReadStoredAndSearchable() throws Exception {
        Api.Answer answer = RUNNING.api().uploadMultipart("sign.png", GeneratedImages.text("NO PARKING HERE"), NO_HEADERS, "features=LABELS,TEXT,MODERATION");
        assertEquals(202, answer.status(), answer.raw().body());
        String jobId = answer.body().path("jobId").asText();
        JsonNode job = RUNNING.api().awaitFinished(jobId, NO_HEADERS, JOB_TIMEOUT);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        JsonNode line = job.path("textDetections").get(0);
        assertEquals("LINE", line.path("Type").asText(), job.toString());
        assertEquals("NO PARKING HERE", line.path("DetectedText").asText());
        assertTrue(job.path("labels").isArray(), "LABELS was asked for too");
        // MODERATION was asked for: the engine's DetectModerationLabels flagged nothing on a plain sign.
        assertTrue(job.path("moderationLabels").isArray() && job.path("moderationLabels").isEmpty(), job.toString());
        Set<String> flagged = new HashSet<>();
        RUNNING.api().get("/v1/images?moderationLabel=Explicit", NO_HEADERS).body().path("items")
                .forEach(i -> flagged.add(i.path("jobId").asText()));
        assertTrue(!flagged.contains(jobId), flagged.toString());

        JsonNode found = RUNNING.api().get("/v1/images?text=parking", NO_HEADERS).body();
        Set<String> jobs = new HashSet<>();
        found.path("items").forEach(i -> jobs.add(i.path("jobId").asText()));
        assertTrue(jobs.contains(jobId), found.toString());
        assertEquals(0, RUNNING.api().get("/v1/images?text=zeppelin", NO_HEADERS).body().path("items").size());
        assertEquals(0, RUNNING.api().get("/v1/images?text=parking", Map.of("X-Tenant-Id", "someone-else")).body()
                .path("items").size(), "another tenant's text is not searchable");
        expectError(RUNNING.api().get("/v1/images?text=parking&label=Dog", NO_HEADERS), 400, "INVALID_PARAMETER");
    }

    @Test
    @Order(5)
    void aRetriedUploadWithTheSameIdempotencyKeyCreatesNoSecondJob() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "e2e-retry-1");
        Api.Answer first = RUNNING.api().uploadMultipart("a.jpg", jpeg(320, 240), key, null);
        Api.Answer retry = RUNNING.api().uploadMultipart("a.jpg", jpeg(320, 240), key, null);
        assertEquals(202, first.status());
        assertEquals(202, retry.status());
        assertEquals(first.body().path("jobId"), retry.body().path("jobId"));
        assertEquals(first.body().path("imageId"), retry.body().path("imageId"));
        RUNNING.api().awaitFinished(first.body().path("jobId").asText(), NO_HEADERS, JOB_TIMEOUT);
        JsonNode image = RUNNING.api().get("/v1/images/" + first.body().path("imageId").asText(), NO_HEADERS).body();
        assertEquals(1, image.path("jobs").size(), image.toString());
    }

    @Test
    @Order(6)
    void aTenantSeesOnlyItsOwnJobs() throws Exception {
        Api.Answer answer = RUNNING.api().uploadMultipart("a.jpg", jpeg(320, 240), Map.of("X-Tenant-Id", "tenant-a"), null);
        String jobId = answer.body().path("jobId").asText();
        String imageId = answer.body().path("imageId").asText();
        JsonNode own = RUNNING.api().awaitFinished(jobId, Map.of("X-Tenant-Id", "tenant-a"), JOB_TIMEOUT);
        assertEquals(imageId, own.path("imageId").asText());
        // Another tenant gets what it gets for any id made in the last hour: QUEUED, and nothing of the job.
        for (Map<String, String> other : List.of(Map.of("X-Tenant-Id", "tenant-b"), NO_HEADERS)) {
            Api.Answer seen = RUNNING.api().get("/v1/jobs/" + jobId, other);
            assertEquals(200, seen.status(), seen.raw().body());
            assertEquals("QUEUED", seen.body().path("status").asText());
            assertTrue(seen.body().path("imageId").isMissingNode() && seen.body().path("labels").isMissingNode(),
                    seen.raw().body());
            expectError(RUNNING.api().get("/v1/images/" + imageId, other), 404, "IMAGE_NOT_FOUND");
        }
    }

    @Test
    @Order(7)
    void aBackfillRecognisesEveryImageAlreadyInABucket() throws Exception {
        Map<String, String> tenant = Map.of("X-Tenant-Id", "backfill-e2e");
        try (S3Client s3 = RUNNING.platform().s3Client()) {
            s3.createBucket(b -> b.bucket("archive"));
            for (int i = 0; i < 6; i++) {
                String key = "2024/photo-" + i + ".jpg";
                s3.putObject(b -> b.bucket("archive").key(key), RequestBody.fromBytes(jpeg(160 + i * 16, 120)));
            }
            s3.putObject(b -> b.bucket("archive").key("2024/index.html"), RequestBody.fromString("<html>"));
        }
        Api.Answer started = RUNNING.api().postIngest("/v1/backfills",
                "{\"bucket\":\"archive\",\"prefix\":\"2024/\",\"ratePerSecond\":5}", tenant);
        assertEquals(202, started.status(), started.raw().body());
        String self = "/v1/backfills/" + started.body().path("backfillId").asText();
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        Map<String, Long> statuses = Map.of();
        while (System.nanoTime() < deadline && !Long.valueOf(6).equals(statuses.get("SUCCEEDED"))) {
            Thread.sleep(500);
            statuses = new HashMap<>();
            try (Connection c = RUNNING.platform().database();
                    PreparedStatement s = c.prepareStatement(
                            "SELECT status, count(*) FROM jobs WHERE tenant = ? GROUP BY status")) {
                s.setString(1, "backfill-e2e");
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        statuses.put(r.getString(1), r.getLong(2));
                    }
                }
            }
        }
        assertEquals(Map.of("SUCCEEDED", 6L), statuses);
        JsonNode backfill = RUNNING.api().getIngest(self, tenant).body();
        assertEquals("SUCCEEDED", backfill.path("state").asText(), backfill.toString());
        assertEquals(6, backfill.path("enqueued").asInt());
        assertEquals(1, backfill.path("skipped").asInt());
    }

    private static void expectError(Api.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.raw().body());
        assertEquals(code, answer.body().path("error").path("code").asText(), answer.raw().body());
        assertTrue(answer.body().path("error").path("message").asText().length() > 0);
    }

    private static Path testdata() {
        for (Path candidate : List.of(Platform.repositoryRoot().resolve("../shared/testdata"),
                Path.of("../../shared/testdata"))) {
            if (Files.isRegularFile(candidate.resolve("manifest.json"))) {
                return candidate;
            }
        }
        Assumptions.abort("../shared/testdata is not beside this clone: the sample-image test is skipped");
        return null;
    }

    static byte[] jpeg(int width, int height) {
        return GeneratedImages.jpeg(width, height);
    }
}
