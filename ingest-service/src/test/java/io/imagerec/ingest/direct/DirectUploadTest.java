package io.imagerec.ingest.direct;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.ingest.IngestTestProfile;
import io.imagerec.ingest.Queues;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.OperatorKey;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Direct uploads against the real S3 (S3Proxy checks the presigned signature) and SQS: the client's
 * PUT and complete call, the S3 event notification path, what S3 refuses, and completions that must
 * not start a job.
 */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
class DirectUploadTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private TestCloud cloud;

    @BeforeEach
    void emptyQueues() {
        cloud = LocalCloudResource.cloud();
        OperatorKey.use();
        cloud.purge(TestCloud.JOBS_QUEUE, TestCloud.RESULTS_QUEUE, TestCloud.UPLOADS_QUEUE);
    }

    @AfterEach
    void heal() throws Exception {
        cloud.healAll();
    }

    private static Response create(String tenant, String type, long length) {
        return given().contentType("application/json").header("X-Tenant-Id", tenant)
                .body(Map.of("contentType", type, "contentLength", length, "features", List.of("LABELS", "TEXT")))
                .post("/v1/uploads");
    }

    private int put(Response upload, byte[] body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(upload.jsonPath().getString("url")))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Response complete(String tenant, String uploadId) {
        return given().header("X-Tenant-Id", tenant).post("/v1/uploads/" + uploadId + "/complete");
    }

    @Test
    void aPresignedPutThenCompleteQueuesOneJobOnTheUploadedObject() throws Exception {
        byte[] image = GeneratedImages.jpeg(320, 240);
        Response upload = create("acme", "image/jpeg", image.length);
        upload.then().statusCode(201).body("method", equalTo("PUT"))
                .body("headers.Content-Type", equalTo("image/jpeg"));
        String uploadId = upload.jsonPath().getString("uploadId");
        String jobId = upload.jsonPath().getString("jobId");
        assertTrue(Instant.parse(upload.jsonPath().getString("expiresAt")).isAfter(Instant.now()));
        assertTrue(upload.header("Location").endsWith("/v1/uploads/" + uploadId + "/complete"));

        complete("acme", uploadId).then().statusCode(409).body("error.code", equalTo("UPLOAD_NOT_RECEIVED"));
        assertEquals(200, put(upload, image, "image/jpeg"));
        assertArrayEquals(image, cloud.s3Client().getObjectAsBytes(b -> b.bucket(TestCloud.BUCKET)
                .key("direct/acme/" + uploadId)).asByteArray());

        complete("bravo", uploadId).then().statusCode(404).body("error.code", equalTo("UPLOAD_NOT_FOUND"));
        Response first = complete("acme", uploadId);
        first.then().statusCode(202).body("jobId", equalTo(jobId)).body("status", equalTo("QUEUED"));
        complete("acme", uploadId).then().statusCode(202).body("jobId", equalTo(jobId));

        List<JsonNode> jobs = Queues.drain(cloud, TestCloud.JOBS_QUEUE);
        assertEquals(1, jobs.size(), "completing twice starts one job");
        assertEquals(jobId, jobs.get(0).path("jobId").asText());
        assertEquals("direct/acme/" + uploadId, jobs.get(0).path("key").asText());
        assertEquals("[\"LABELS\",\"TEXT\"]", jobs.get(0).path("features").toString());
    }

    @Test
    void s3RefusesAPutThatDiffersFromWhatWasSigned() throws Exception {
        byte[] image = GeneratedImages.jpeg(200, 100);
        Response upload = create("acme", "image/jpeg", image.length);
        byte[] longer = GeneratedImages.jpeg(400, 300);
        assertEquals(403, put(upload, longer, "image/jpeg"), "another length");
        assertEquals(403, put(upload, image, "image/png"), "another content type");
        complete("acme", upload.jsonPath().getString("uploadId")).then().statusCode(409);
    }

    @Test
    void anObjectThatIsNoImageIsRemovedAndStartsNoJob() throws Exception {
        byte[] notAnImage = "%PDF-1.4 definitely not a picture".getBytes();
        Response upload = create("acme", "image/png", notAnImage.length);
        assertEquals(200, put(upload, notAnImage, "image/png"));
        String uploadId = upload.jsonPath().getString("uploadId");
        complete("acme", uploadId).then().statusCode(415).body("error.code", equalTo("UNSUPPORTED_IMAGE_TYPE"));
        assertFalse(cloud.s3Client().listObjectsV2(b -> b.bucket(TestCloud.BUCKET).prefix("direct/acme/" + uploadId))
                .hasContents());
        assertTrue(Queues.drain(cloud, TestCloud.JOBS_QUEUE).isEmpty());
    }

    @Test
    void badRequestsAreRefusedWithStableCodes() {
        create("acme", "image/gif", 100).then().statusCode(415).body("error.code", equalTo("UNSUPPORTED_IMAGE_TYPE"));
        create("acme", "image/jpeg", 16L * 1024 * 1024).then().statusCode(413)
                .body("error.code", equalTo("IMAGE_TOO_LARGE"));
        create("acme", "image/jpeg", 0).then().statusCode(400).body("error.code", equalTo("INVALID_PARAMETER"));
        for (String body : List.of("{\"contentType\":\"image/jpeg\",\"contentLength\":10,\"features\":[\"NOPE\"]}",
                "{\"contentType\":\"image/jpeg\",\"contentLength\":\"ten\"}",
                "{\"contentType\":\"image/jpeg\",\"contentLength\":10,\"features\":[null]}", "{\"contentType\":")) {
            given().contentType("application/json").body(body).post("/v1/uploads").then().statusCode(400)
                    .body("error.code", equalTo("INVALID_PARAMETER"));
        }
        complete("acme", "not-an-id").then().statusCode(404).body("error.code", equalTo("UPLOAD_NOT_FOUND"));
        complete("acme", "01a214a7-06ae-7b39-93b5-7b64392a785a").then().statusCode(404);
    }

    @Test
    void anS3EventNotificationCompletesTheUploadWithoutTheClient() throws Exception {
        byte[] image = GeneratedImages.jpeg(320, 240);
        Response upload = create("acme", "image/jpeg", image.length);
        String uploadId = upload.jsonPath().getString("uploadId");
        assertEquals(200, put(upload, image, "image/jpeg"));
        // The event as S3 sends it to SQS (key URL-encoded), plus one for an object ingest does not know.
        String event = """
            {"Records":[
              {"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"%s",
               "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","configurationId":"direct-uploads",
               "bucket":{"name":"images","arn":"arn:aws:s3:::images"},
               "object":{"key":"direct%%2Facme%%2F%s","size":%d,"eTag":"x","sequencer":"0A"}}},
              {"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put",
               "s3":{"bucket":{"name":"images"},"object":{"key":"direct/acme/01a214a7-06ae-7b39-93b5-7b64392a785a"}}}
            ]}""".formatted(Instant.now(), uploadId, image.length);
        cloud.sqsClient().sendMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.UPLOADS_QUEUE)).messageBody(event));

        List<JsonNode> jobs = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (jobs.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            jobs.addAll(Queues.drain(cloud, TestCloud.JOBS_QUEUE));
        }
        assertEquals(1, jobs.size());
        assertEquals(upload.jsonPath().getString("jobId"), jobs.get(0).path("jobId").asText());
        // The client's own complete call afterwards answers the same job and starts no other.
        complete("acme", uploadId).then().statusCode(202).body("jobId", equalTo(upload.jsonPath().getString("jobId")));
        Thread.sleep(500);
        assertTrue(Queues.drain(cloud, TestCloud.JOBS_QUEUE).isEmpty());
        // The event was consumed, not left for redelivery.
        assertEquals(0, cloud.queueCount(TestCloud.UPLOADS_QUEUE, "ApproximateNumberOfMessagesNotVisible")
                + cloud.queueCount(TestCloud.UPLOADS_QUEUE, "ApproximateNumberOfMessages"));
    }
}
