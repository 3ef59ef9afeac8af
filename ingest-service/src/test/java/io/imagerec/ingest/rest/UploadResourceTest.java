package io.imagerec.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.Json;
import io.imagerec.ingest.IngestTestProfile;
import io.imagerec.ingest.Queues;
import io.imagerec.ingest.orphans.OrphanSweeper;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.OperatorKey;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Uploads against the real S3 and SQS: what is stored and enqueued, what is refused before anything is
 * stored, outages of either, an enqueue whose outcome is unknown, and idempotent retries, also
 * concurrent ones.
 */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
class UploadResourceTest {

    private static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    private TestCloud cloud;

    @Inject
    OrphanSweeper sweeper;

    @BeforeEach
    void emptyQueues() {
        cloud = LocalCloudResource.cloud();
        OperatorKey.use();
        cloud.purge(TestCloud.JOBS_QUEUE, TestCloud.RESULTS_QUEUE);
    }

    @AfterEach
    void heal() throws Exception {
        cloud.healAll();
    }

    private static Response upload(byte[] image, String idempotencyKey) {
        var request = given().contentType("image/jpeg").body(image);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/images");
    }

    private List<JsonNode> drain(String queue) throws Exception {
        return Queues.drain(cloud, queue);
    }

    private Set<String> storedImages() {
        Set<String> keys = new HashSet<>();
        cloud.s3Client().listObjectsV2Paginator(b -> b.bucket(TestCloud.BUCKET).prefix("images/"))
                .contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    @Test
    void anAcceptedUploadIsStoredEnqueuedAndReportedQueued() throws Exception {
        byte[] image = GeneratedImages.jpeg(320, 240);
        Response answer = given().contentType("image/jpeg").body(image).header("X-Tenant-Id", "acme")
                .queryParam("features", "LABELS,TEXT").queryParam("minConfidence", 70)
                .queryParam("callbackUrl", "https://hooks.example.com/imagerec/job-7").post("/v1/images");
        answer.then().statusCode(202).body("status", equalTo("QUEUED"))
                .body("jobId", matchesPattern(UUID_V7)).body("imageId", matchesPattern(UUID_V7));
        String jobId = answer.jsonPath().getString("jobId");
        String imageId = answer.jsonPath().getString("imageId");
        assertEquals("http://127.0.0.1:1/v1/jobs/" + jobId, answer.header("Location"));
        assertTrue(JobIds.createdAt(jobId).isPresent());

        assertArrayEquals(image, cloud.s3Client().getObjectAsBytes(b -> b.bucket(TestCloud.BUCKET)
                .key("images/acme/" + imageId)).asByteArray());
        List<JsonNode> jobs = drain(TestCloud.JOBS_QUEUE);
        assertEquals(1, jobs.size());
        JsonNode job = jobs.get(0);
        assertEquals("recognition-job/v1", job.path("schema").asText());
        assertEquals(jobId, job.path("jobId").asText());
        assertEquals("acme", job.path("tenant").asText());
        assertEquals("images/acme/" + imageId, job.path("key").asText());
        assertEquals("[\"LABELS\",\"TEXT\"]", job.path("features").toString());
        assertEquals(70.0, job.path("minConfidence").asDouble());
        assertEquals("https://hooks.example.com/imagerec/job-7", job.path("callbackUrl").asText());
        List<JsonNode> events = drain(TestCloud.RESULTS_QUEUE);
        assertEquals(1, events.size());
        assertEquals("QUEUED", events.get(0).path("status").asText());
        assertEquals("https://hooks.example.com/imagerec/job-7", events.get(0).path("callbackUrl").asText());
        assertEquals(jobId, events.get(0).path("jobId").asText());
    }

    @Test
    void badUploadsAreRefusedWithStableCodesBeforeAnythingIsStored() throws Exception {
        Set<String> before = storedImages();
        upload(new byte[0], null).then().statusCode(400).body("error.code", equalTo("EMPTY_IMAGE"));
        upload("not an image at all".getBytes(), null).then().statusCode(415)
                .body("error.code", equalTo("UNSUPPORTED_IMAGE_TYPE"));
        given().contentType("text/plain").body("hello").post("/v1/images").then().statusCode(415)
                .body("error.code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
        byte[] tooLarge = Arrays.copyOf(GeneratedImages.jpeg(100, 100), 15 * 1024 * 1024 + 1);
        upload(tooLarge, null).then().statusCode(413).body("error.code", equalTo("IMAGE_TOO_LARGE"));
        given().contentType("image/jpeg").body(GeneratedImages.jpeg(50, 50)).queryParam("features", "LABELS,NONSENSE")
                .post("/v1/images").then().statusCode(400).body("error.code", equalTo("INVALID_PARAMETER"));
        given().contentType("image/jpeg").body(GeneratedImages.jpeg(50, 50)).header("X-Tenant-Id", "Not A Tenant!")
                .post("/v1/images").then().statusCode(400).body("error.code", equalTo("INVALID_TENANT"));
        upload(GeneratedImages.jpeg(50, 50), "has spaces in it").then().statusCode(400)
                .body("error.code", equalTo("INVALID_IDEMPOTENCY_KEY"));
        assertEquals(before, storedImages());
        assertEquals(List.of(), drain(TestCloud.JOBS_QUEUE));
    }

    @Test
    void malformedParametersAndBodiesAre4xxWithStableCodes() throws Exception {
        Set<String> before = storedImages();
        for (String query : List.of("minConfidence=abc", "maxLabels=1e99", "maxLabels=99999999999", "minConfidence=NaN")) {
            given().contentType("image/jpeg").body(GeneratedImages.jpeg(50, 50)).post("/v1/images?" + query).then()
                    .statusCode(400).body("error.code", equalTo("INVALID_PARAMETER"));
        }
        given().contentType("image/;;;=\"").body(GeneratedImages.jpeg(50, 50)).post("/v1/images").then()
                .statusCode(415).body("error.code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            fields.append("--b0\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nx\r\n");
        }
        var asText = RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .encodeContentTypeAs("multipart/form-data", ContentType.TEXT));
        given().config(asText).contentType("multipart/form-data; boundary=b0").body(fields + "--b0--\r\n")
                .post("/v1/images").then().statusCode(400).body("error.code", equalTo("INVALID_MULTIPART"));
        given().config(asText).contentType("multipart/form-data; boundary=b0").body(fields.substring(0, 200))
                .post("/v1/images").then().statusCode(400).body("error.code", equalTo("INVALID_MULTIPART"));
        given().multiPart("file", "a.jpg", GeneratedImages.jpeg(50, 50), "image/jpeg").multiPart("maxLabels", "many")
                .post("/v1/images").then().statusCode(400).body("error.code", equalTo("INVALID_PARAMETER"));
        for (String callback : List.of("ftp://hooks.example.com/x", "https://u:p@hooks.example.com/", "not a url",
                "https://hooks.example.com/#f", "https://hooks.example.com/" + "x".repeat(2048))) {
            given().contentType("image/jpeg").body(GeneratedImages.jpeg(50, 50)).queryParam("callbackUrl", callback)
                    .post("/v1/images").then().statusCode(400).body("error.code", equalTo("INVALID_CALLBACK_URL"));
        }
        given().multiPart("file", "a.jpg", GeneratedImages.jpeg(50, 50), "image/jpeg")
                .multiPart("callbackUrl", "javascript:alert(1)").post("/v1/images").then().statusCode(400)
                .body("error.code", equalTo("INVALID_CALLBACK_URL"));
        given().post("/v1/nothing-here").then().statusCode(404).body("error.code", equalTo("NOT_FOUND"));
        assertEquals(before, storedImages());
        assertEquals(List.of(), drain(TestCloud.JOBS_QUEUE));
    }

    @Test
    void aMultipartUploadIsReadFromItsFileField() throws Exception {
        byte[] image = GeneratedImages.jpeg(120, 90);
        Response answer = given().multiPart("file", "photo.jpg", image, "image/jpeg").multiPart("features", "TEXT")
                .multiPart("minConfidence", "60").header("X-Tenant-Id", "acme").post("/v1/images");
        answer.then().statusCode(202).body("status", equalTo("QUEUED"));
        assertArrayEquals(image, cloud.s3Client().getObjectAsBytes(b -> b.bucket(TestCloud.BUCKET)
                .key("images/acme/" + answer.jsonPath().getString("imageId"))).asByteArray());
        JsonNode job = drain(TestCloud.JOBS_QUEUE).get(0);
        assertEquals("[\"TEXT\"]", job.path("features").toString());
        assertEquals(60.0, job.path("minConfidence").asDouble());
    }

    @Test
    void everyFeatureIsAcceptedAndQueuedAsAsked() throws Exception {
        given().contentType("image/jpeg").body(GeneratedImages.jpeg(60, 40))
                .queryParam("features", "moderation,LABELS,FACES,TEXT,IMAGE_PROPERTIES").header("X-Tenant-Id", "acme")
                .post("/v1/images").then().statusCode(202).body("status", equalTo("QUEUED"));
        JsonNode job = drain(TestCloud.JOBS_QUEUE).get(0);
        assertEquals("[\"MODERATION\",\"LABELS\",\"FACES\",\"TEXT\",\"IMAGE_PROPERTIES\"]",
                job.path("features").toString());
    }

    @Test
    void anUnreachableS3Means503AndNothingQueued() throws Exception {
        cloud.s3().refuse();
        upload(GeneratedImages.jpeg(64, 64), null).then().statusCode(503)
                .header("Retry-After", "5").body("error.code", equalTo("STORAGE_UNAVAILABLE"));
        cloud.s3().pass();
        assertEquals(List.of(), drain(TestCloud.JOBS_QUEUE));
    }

    @Test
    void aRefusedEnqueueMeans503AndTheImageIsRemoved() throws Exception {
        Set<String> before = storedImages();
        cloud.sqs().refuse();
        upload(GeneratedImages.jpeg(64, 64), null).then().statusCode(503)
                .header("Retry-After", "5").body("error.code", equalTo("QUEUE_UNAVAILABLE"));
        cloud.sqs().pass();
        assertEquals(before, storedImages(), "SQS certainly stored nothing, so neither does S3");
        assertEquals(List.of(), drain(TestCloud.JOBS_QUEUE));
    }

    @Test
    void anEnqueueWithAnUnknownOutcomeKeepsTheImageItsJobReads() throws Exception {
        cloud.sqs().dropResponses();
        upload(GeneratedImages.jpeg(64, 64), null).then().statusCode(503)
                .body("error.code", equalTo("QUEUE_UNAVAILABLE"));
        cloud.sqs().cutAll();
        cloud.sqs().pass();
        List<JsonNode> jobs = drain(TestCloud.JOBS_QUEUE);
        assertTrue(!jobs.isEmpty(), "SQS stored the job although its answer was lost");
        String key = jobs.get(0).path("key").asText();
        assertNotNull(cloud.s3Client().headObject(b -> b.bucket(TestCloud.BUCKET).key(key)), "its image is still there");
        String imageId = jobs.get(0).path("imageId").asText();
        JsonNode marker = Json.mapper().readTree(cloud.s3Client().getObjectAsBytes(b -> b.bucket(TestCloud.BUCKET)
                .key("orphans/default/" + imageId)).asByteArray());
        assertEquals(jobs.get(0).path("jobId").asText(), marker.path("jobId").asText(), "marked for the sweeper");

        // The sweeper cannot reach results-service here, so it cannot tell whether the job ran: it keeps both.
        assertEquals(0, sweeper.sweep());
        assertNotNull(cloud.s3Client().headObject(b -> b.bucket(TestCloud.BUCKET).key(key)));
        assertNotNull(cloud.s3Client().headObject(b -> b.bucket(TestCloud.BUCKET).key("orphans/default/" + imageId)));
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndNoSecondJob() throws Exception {
        byte[] image = GeneratedImages.jpeg(320, 240);
        String idempotencyKey = "same-" + System.nanoTime();
        Response a = upload(image, idempotencyKey);
        Response b = upload(image, idempotencyKey);
        a.then().statusCode(202);
        b.then().statusCode(202).body("jobId", equalTo(a.jsonPath().getString("jobId")))
                .body("imageId", equalTo(a.jsonPath().getString("imageId")));
        assertEquals(a.header("Location"), b.header("Location"));
        List<JsonNode> jobs = drain(TestCloud.JOBS_QUEUE);
        assertEquals(1, jobs.size(), "one job for both: " + jobs);
        assertEquals(a.jsonPath().getString("jobId"), jobs.get(0).path("jobId").asText());
        upload(image, null).then().statusCode(202).body("jobId", org.hamcrest.Matchers.not(a.jsonPath().getString("jobId")));
    }

    @Test
    void aKeyReusedForAnotherUploadIsRefused() {
        String idempotencyKey = "reused-" + System.nanoTime();
        upload(GeneratedImages.jpeg(320, 240), idempotencyKey).then().statusCode(202);
        upload(GeneratedImages.jpeg(321, 240), idempotencyKey).then().statusCode(422)
                .body("error.code", equalTo("IDEMPOTENCY_KEY_REUSED"));
        given().contentType("image/jpeg").body(GeneratedImages.jpeg(320, 240)).header("Idempotency-Key", idempotencyKey)
                .queryParam("features", "TEXT").post("/v1/images").then().statusCode(422)
                .body("error.code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    }

    @Test
    void concurrentRetriesWithOneKeySendOneJob() throws Exception {
        byte[] image = GeneratedImages.jpeg(400, 300);
        String idempotencyKey = "concurrent-" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> upload(image, idempotencyKey));
            }
            Set<String> jobIds = new HashSet<>();
            int accepted = 0;
            for (Future<Response> f : pool.invokeAll(calls)) {
                Response r = f.get();
                if (r.statusCode() == 202) {
                    accepted++;
                    jobIds.add(r.jsonPath().getString("jobId"));
                } else {
                    assertEquals(409, r.statusCode(), r.asString());
                    assertEquals("IDEMPOTENCY_KEY_IN_USE", r.jsonPath().getString("error.code"));
                    assertNotNull(r.header("Retry-After"));
                }
            }
            assertTrue(accepted >= 1);
            assertEquals(1, jobIds.size(), "every accepted answer names the same job");
            List<JsonNode> jobs = drain(TestCloud.JOBS_QUEUE);
            assertEquals(1, jobs.size(), "exactly one job was sent: " + jobs);
            assertEquals(jobIds.iterator().next(), jobs.get(0).path("jobId").asText());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRetryWaitsWhileTheFirstAttemptRunsAndFinishesItAfterItFailed() throws Exception {
        byte[] image = GeneratedImages.jpeg(330, 240);
        String idempotencyKey = "takeover-" + System.nanoTime();
        cloud.sqs().blackhole();
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> upload(image, idempotencyKey));
        Thread.sleep(1000);
        upload(image, idempotencyKey).then().statusCode(409).body("error.code", equalTo("IDEMPOTENCY_KEY_IN_USE"));
        first.get().then().statusCode(503).body("error.code", equalTo("QUEUE_UNAVAILABLE"));
        cloud.sqs().cutAll();
        cloud.sqs().pass();
        cloud.purge(TestCloud.JOBS_QUEUE);
        Response retry = upload(image, idempotencyKey);
        retry.then().statusCode(202);
        List<JsonNode> jobs = drain(TestCloud.JOBS_QUEUE);
        assertEquals(1, jobs.size());
        assertEquals(retry.jsonPath().getString("jobId"), jobs.get(0).path("jobId").asText());
        upload(image, idempotencyKey).then().statusCode(202).body("jobId", equalTo(retry.jsonPath().getString("jobId")));
        assertEquals(List.of(), drain(TestCloud.JOBS_QUEUE));
    }
}
