package io.imagerec.ingest.backfill;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.JobIds;
import io.imagerec.ingest.IngestTestProfile;
import io.imagerec.ingest.Queues;
import io.imagerec.ingest.service.JobOptions;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.OperatorKey;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Backfills of a bucket of existing objects against the real S3 and SQS: every image gets exactly one
 * job, what is not an image is skipped and counted, a backfill abandoned mid-step by a dead replica is
 * resumed with the same job ids and no object twice, and a bucket that cannot be listed fails it.
 */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
class BackfillTest {

    private TestCloud cloud;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void emptyQueues() {
        cloud = LocalCloudResource.cloud();
        OperatorKey.use();
        cloud.purge(TestCloud.JOBS_QUEUE, TestCloud.RESULTS_QUEUE);
    }

    /** A bucket of {@code images} JPEGs under {@code prefix}, plus objects that must not become jobs. */
    private List<String> bucket(String bucket, String prefix, int images) {
        cloud.s3Client().createBucket(b -> b.bucket(bucket));
        byte[] jpeg = GeneratedImages.jpeg(64, 48);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            String key = prefix + (i % 3 == 0 ? "nested/" : "") + "img-" + i + (i % 4 == 0 ? ".JPG" : ".jpg");
            cloud.s3Client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(jpeg));
            keys.add(key);
        }
        cloud.s3Client().putObject(b -> b.bucket(bucket).key(prefix + "notes.txt"), RequestBody.fromString("hi"));
        cloud.s3Client().putObject(b -> b.bucket(bucket).key(prefix + "empty.png"), RequestBody.empty());
        cloud.s3Client().putObject(b -> b.bucket(bucket).key("elsewhere/outside.jpg"), RequestBody.fromBytes(jpeg));
        return keys;
    }

    private static JsonPath awaitEnd(String location, String tenant) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath b = given().header("X-Tenant-Id", tenant).get(location).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(b.getString("state"))) {
                return b;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("backfill still running: " + location);
    }

    /** Jobs on the queue until {@code count} have come or a few quiet seconds passed. */
    private List<JsonNode> jobs(int atLeast) throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            jobs.addAll(Queues.drain(cloud, TestCloud.JOBS_QUEUE));
            if (jobs.size() >= atLeast) {
                Thread.sleep(500);
                jobs.addAll(Queues.drain(cloud, TestCloud.JOBS_QUEUE));
                return jobs;
            }
            Thread.sleep(100);
        }
        return jobs;
    }

    @Test
    void everyImageUnderThePrefixGetsExactlyOneJob() throws Exception {
        List<String> keys = bucket("legacy-photos", "photos/", 27);
        String location = given().contentType("application/json").header("X-Tenant-Id", "acme")
                .body(Map.of("bucket", "legacy-photos", "prefix", "photos/", "features", List.of("LABELS", "TEXT"),
                        "ratePerSecond", 500))
                .post("/v1/backfills").then().statusCode(202).body("state", equalTo("RUNNING"))
                .extract().header("Location");

        JsonPath done = awaitEnd(location, "acme");
        assertEquals("SUCCEEDED", done.getString("state"));
        assertEquals(27, done.getLong("enqueued"));
        assertEquals(2, done.getLong("skipped"), "notes.txt and the empty image");
        assertEquals(29, done.getLong("listed"));

        List<JsonNode> jobs = jobs(27);
        Map<String, Integer> perKey = new HashMap<>();
        for (JsonNode job : jobs) {
            perKey.merge(job.path("key").asText(), 1, Integer::sum);
            assertEquals("legacy-photos", job.path("bucket").asText());
            assertEquals("acme", job.path("tenant").asText());
            assertEquals("[\"LABELS\",\"TEXT\"]", job.path("features").toString());
        }
        assertEquals(new TreeSet<>(keys), new TreeSet<>(perKey.keySet()));
        assertTrue(perKey.values().stream().allMatch(n -> n == 1), "one job per object: " + perKey);

        given().header("X-Tenant-Id", "bravo").get(location).then().statusCode(404)
                .body("error.code", equalTo("BACKFILL_NOT_FOUND"));
    }

    @Test
    void aBackfillAbandonedMidStepIsResumedWithTheSameJobIdsAndNoObjectTwice() throws Exception {
        List<String> keys = new ArrayList<>(new TreeSet<>(bucket("crashed", "", 24)));
        // What a replica that died while sending its second step leaves: the first step settled, the
        // second planned (ids fixed) and maybe partly sent, its lease run out.
        Instant then = Instant.now().minusSeconds(120);
        List<Backfill.PlannedJob> planned = new ArrayList<>();
        for (String key : keys.subList(10, 20)) {
            planned.add(new Backfill.PlannedJob(key, JobIds.next(then), JobIds.next(then)));
        }
        Backfill start = Backfill.create(JobIds.next(then), "acme", "crashed", "",
                new JobOptions(List.of(Feature.LABELS), null, null), 500, then, then.plusSeconds(30));
        Backfill firstStepDone = start.planned(List.of(), keys.get(9), 0, then, then.plusSeconds(30))
                .settled(then, then.plusSeconds(30));
        Backfill dead = firstStepDone.planned(planned, keys.get(19), 0, then, then.plusSeconds(30));
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key(BackfillRunner.runningKey("acme", start.id())),
                RequestBody.empty());
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key(BackfillRunner.recordKey("acme", start.id())),
                RequestBody.fromBytes(json.writeValueAsBytes(dead)));

        JsonPath done = awaitEnd("/v1/backfills/" + start.id(), "acme");
        assertEquals("SUCCEEDED", done.getString("state"));
        List<JsonNode> jobs = jobs(14);
        Map<String, String> jobIdByKey = new HashMap<>();
        for (JsonNode job : jobs) {
            String previous = jobIdByKey.put(job.path("key").asText(), job.path("jobId").asText());
            assertEquals(null, previous, "a second job for " + job.path("key").asText());
        }
        // Only the objects after the settled step (the planned ones keep their ids); after them in key
        // order come four images and notes.txt.
        assertEquals(new TreeSet<>(keys.subList(10, keys.size())), new TreeSet<>(jobIdByKey.keySet()));
        for (Backfill.PlannedJob p : planned) {
            assertEquals(p.jobId(), jobIdByKey.get(p.key()), "the planned job id of " + p.key());
        }
        assertEquals(14, done.getLong("enqueued"));
        assertEquals(1, done.getLong("skipped"));
        // Ended: no longer among the backfills looked at for resuming.
        Thread.sleep(2000);
        assertTrue(cloud.s3Client().listObjectsV2(b -> b.bucket(TestCloud.BUCKET)
                .prefix(BackfillRunner.runningKey("acme", start.id()))).contents().isEmpty());
    }

    @Test
    void aBucketThatCannotBeListedFailsTheBackfillWithTheReason() throws Exception {
        String location = given().contentType("application/json").header("X-Tenant-Id", "acme")
                .body(Map.of("bucket", "no-such-bucket-here")).post("/v1/backfills").then().statusCode(202)
                .extract().header("Location");
        JsonPath done = awaitEnd(location, "acme");
        assertEquals("FAILED", done.getString("state"));
        assertTrue(done.getString("error").contains("NoSuchBucket"), done.getString("error"));
    }

    @Test
    void badRequestsAreRefusedWithStableCodes() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("bucket", "Not_A_Bucket"), Map.of(),
                Map.of("bucket", "legacy", "ratePerSecond", 0), Map.of("bucket", "legacy", "ratePerSecond", 100000),
                Map.of("bucket", "legacy", "prefix", "a\u0000b"))) {
            given().contentType("application/json").body(body).post("/v1/backfills").then().statusCode(400)
                    .body("error.code", equalTo("INVALID_PARAMETER"));
        }
        given().get("/v1/backfills/nope").then().statusCode(404).body("error.code", equalTo("BACKFILL_NOT_FOUND"));
        // The platform's own bucket holds other tenants' uploads and records.
        given().contentType("application/json").body(Map.of("bucket", TestCloud.BUCKET, "prefix", "uploads/"))
                .post("/v1/backfills").then().statusCode(403).body("error.code", equalTo("BUCKET_NOT_ALLOWED"));
    }
}
