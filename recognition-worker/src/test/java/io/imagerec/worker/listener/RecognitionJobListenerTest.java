package io.imagerec.worker.listener;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Json;
import io.imagerec.contracts.RecognitionJob;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import io.imagerec.worker.ResultsQueue;
import io.imagerec.worker.WorkerTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The worker against the real queue, S3 and the packaged engine: results and acknowledgement,
 * permanent and transient failures, the last attempt and a redrive, failed acknowledgements, claim
 * checks, and unreadable messages, with the worker still consuming after each.
 */
@QuarkusTest
@TestProfile(WorkerTestProfile.class)
class RecognitionJobListenerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private TestCloud cloud;

    @BeforeEach
    void needsTheEngine() {
        cloud = LocalCloudResource.cloud();
        Assumptions.assumeTrue(cloud.engineAvailable(),
                "rekognition-local is not packaged (./mvnw test from a clean tree): the worker's tests need it; "
                        + "./mvnw verify runs them");
    }

    @AfterEach
    void heal() throws Exception {
        cloud.healAll();
    }

    private RecognitionJob job(String key, Feature... features) {
        String jobId = UUID.randomUUID().toString();
        return new RecognitionJob(RecognitionJob.SCHEMA, jobId, "img-" + jobId, "acme", TestCloud.BUCKET, key,
                List.of(features), null, null, Instant.now(), Map.of());
    }

    private String store(byte[] image) {
        String key = "images/acme/" + UUID.randomUUID();
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key(key), RequestBody.fromBytes(image));
        return key;
    }

    private void send(RecognitionJob job) throws Exception {
        sendRaw(Json.mapper().writeValueAsString(job));
    }

    private void sendRaw(String body) {
        cloud.sqsClient().sendMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.JOBS_QUEUE)).messageBody(body));
    }

    private long jobsQueue(String suffix, String attribute) {
        return cloud.queueCount(TestCloud.JOBS_QUEUE + suffix, attribute);
    }

    private long jobsLeft() {
        return jobsQueue("", "ApproximateNumberOfMessages") + jobsQueue("", "ApproximateNumberOfMessagesNotVisible");
    }

    private static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + within);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void assertStillConsuming() throws Exception {
        RecognitionJob next = job(store(GeneratedImages.jpeg(200, 150)), Feature.IMAGE_PROPERTIES);
        send(next);
        assertEquals(JobStatus.SUCCEEDED, ResultsQueue.awaitFinal(next.jobId(), PATIENCE).result().status(),
                "the worker still takes jobs");
    }

    @Test
    void aJobIsAnalysedAndDeletedOnlyAfterItsResultIsOnTheQueue() throws Exception {
        RecognitionJob job = job(store(GeneratedImages.text("NO PARKING HERE")), Feature.LABELS,
                Feature.IMAGE_PROPERTIES, Feature.TEXT, Feature.MODERATION);
        send(job);
        ResultsQueue.Received done = ResultsQueue.awaitFinal(job.jobId(), PATIENCE);
        RecognitionResult result = done.result();
        assertEquals(JobStatus.SUCCEEDED, result.status());
        assertEquals("local", result.engine());
        assertEquals(1, result.attempt());
        assertTrue(result.imageProperties().has("DominantColors"), result.toString());
        assertEquals("NO PARKING HERE", result.textDetections().get(0).path("DetectedText").asText());
        // DetectModerationLabels was called: a plain sign is flagged with nothing, and says so with an empty list.
        assertTrue(result.moderationLabels() != null && result.moderationLabels().isArray()
                && result.moderationLabels().isEmpty(), "moderation labels: " + result.moderationLabels());
        assertTrue(done.claimCheck(), "a result over 1 KB (this profile's limit) travels through S3");
        assertTrue(ResultsQueue.of(job.jobId()).stream().anyMatch(r -> r.result().status() == JobStatus.PROCESSING
                && !r.claimCheck()), "a small event travels in the message");
        await("the job message is deleted", Duration.ofSeconds(10), () -> jobsLeft() == 0);
    }

    @Test
    void aMissingImageFailsAtOnceWithRekognitionsCode() throws Exception {
        RecognitionJob job = job("images/acme/no-such-object", Feature.LABELS);
        send(job);
        RecognitionResult result = ResultsQueue.awaitFinal(job.jobId(), PATIENCE).result();
        assertEquals(JobStatus.FAILED, result.status());
        assertEquals("InvalidS3ObjectException", result.errorCode());
        assertEquals(1, result.attempt(), "a permanent error is not retried");
        await("the job message is deleted", Duration.ofSeconds(10), () -> jobsLeft() == 0);
    }

    @Test
    void anEngineOutageIsRetriedAndTheJobSucceedsAfterIt() throws Exception {
        cloud.engine().refuse();
        RecognitionJob job = job(store(GeneratedImages.jpeg(320, 240)), Feature.LABELS);
        send(job);
        Thread.sleep(4000);
        assertFalse(ResultsQueue.of(job.jobId()).stream().anyMatch(r -> r.result().status().isTerminal()),
                "no final result while the engine is down");
        assertEquals(1, jobsLeft(), "the job waits on the queue");
        cloud.engine().pass();
        RecognitionResult result = ResultsQueue.awaitFinal(job.jobId(), PATIENCE).result();
        assertEquals(JobStatus.SUCCEEDED, result.status());
        assertTrue(result.attempt() >= 2, "attempt " + result.attempt());
    }

    @Test
    void anS3OutageBehindTheEngineIsRetriedNotFailed() throws Exception {
        RecognitionJob job = job(store(GeneratedImages.jpeg(320, 240)), Feature.IMAGE_PROPERTIES);
        cloud.s3().refuse();
        send(job);
        Thread.sleep(4000);
        assertFalse(ResultsQueue.of(job.jobId()).stream().anyMatch(r -> r.result().status().isTerminal()),
                "an unreachable S3 is not InvalidS3ObjectException");
        cloud.s3().pass();
        assertEquals(JobStatus.SUCCEEDED, ResultsQueue.awaitFinal(job.jobId(), PATIENCE).result().status());
    }

    @Test
    void theLastAttemptReportsFailureAndARedriveOfTheDeadLetterQueueCompletesTheJob() throws Exception {
        cloud.purge(TestCloud.JOBS_QUEUE + "-dlq");
        cloud.engine().refuse();
        RecognitionJob job = job(store(GeneratedImages.jpeg(320, 240)), Feature.IMAGE_PROPERTIES);
        send(job);
        RecognitionResult failed = ResultsQueue.awaitFinal(job.jobId(), PATIENCE).result();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("RETRIES_EXHAUSTED", failed.errorCode());
        assertEquals(5, failed.attempt());
        await("the job is in the dead-letter queue", Duration.ofSeconds(30),
                () -> jobsQueue("-dlq", "ApproximateNumberOfMessages") == 1);
        given().get("/admin/dead-letters").then().statusCode(200)
                .body("approximateCount", equalTo(1)).body("messages[0].body.jobId", equalTo(job.jobId()));

        cloud.engine().pass();
        given().post("/admin/dead-letters/redrive").then().statusCode(200);
        await("a SUCCEEDED result after the redrive", PATIENCE, () -> ResultsQueue.of(job.jobId()).stream()
                .anyMatch(r -> r.result().status() == JobStatus.SUCCEEDED && r.result().attempt() == 1));
        assertEquals(0, jobsQueue("-dlq", "ApproximateNumberOfMessages"));
    }

    @Test
    void aJobWhoseMessageVanishesWhileItRunsDoesNotStopTheWorker() throws Exception {
        cloud.engine().blackhole();
        RecognitionJob job = job(store(GeneratedImages.jpeg(320, 240)), Feature.LABELS);
        send(job);
        await("the job is taken", Duration.ofSeconds(10), () -> jobsQueue("", "ApproximateNumberOfMessagesNotVisible") == 1);
        cloud.purge(TestCloud.JOBS_QUEUE);
        // The engine's answer never comes: the call times out, and releasing the purged message fails.
        cloud.engine().refuse();
        cloud.engine().pass();
        Thread.sleep(9000);
        assertStillConsuming();
    }

    @Test
    void anUnreadableJobGoesToTheDeadLetterQueueAndTheWorkerGoesOn() throws Exception {
        cloud.purge(TestCloud.JOBS_QUEUE + "-dlq");
        sendRaw("this is not a job");
        await("it is dead-lettered", PATIENCE, () -> jobsQueue("-dlq", "ApproximateNumberOfMessages") == 1);
        assertStillConsuming();
        cloud.purge(TestCloud.JOBS_QUEUE + "-dlq");
    }

    @Test
    void deadLetterListingValidatesItsLimit() {
        given().get("/admin/dead-letters?limit=101").then().statusCode(400)
                .body("error.code", equalTo("INVALID_PARAMETER"));
        assertNotNull(cloud);
    }
}
