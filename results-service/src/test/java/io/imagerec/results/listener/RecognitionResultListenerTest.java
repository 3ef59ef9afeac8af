package io.imagerec.results.listener;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;


import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedAsyncClient;
import com.amazon.sqs.javamessaging.ExtendedAsyncClientConfiguration;

import io.imagerec.contracts.JobStatus;
import io.imagerec.results.Results;
import io.imagerec.results.ResultsTestProfile;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The results consumer against the real queue, S3 and PostgreSQL: order and duplicates, tenants,
 * replacing an exhausted failure, claim checks, and outages of the database and S3 that hold results
 * without losing or dead-lettering any.
 */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
class RecognitionResultListenerTest {

    @org.junit.jupiter.api.BeforeEach
    void useOperatorKey() {
        io.imagerec.testsupport.OperatorKey.use();
    }

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The management interface, where health, metrics and the dead-letter endpoints are. */
    private static io.restassured.specification.RequestSpecification management() {
        return given().port(ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class));
    }

    @AfterEach
    void heal() throws Exception {
        LocalCloudResource.cloud().healAll();
    }

    private static String status(String jobId, String tenant) {
        try (Connection c = LocalCloudResource.cloud().database();
                PreparedStatement s = c.prepareStatement("SELECT status, error_code, tenant FROM jobs WHERE job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return rs.getString(3).equals(tenant) ? rs.getString(1) + (rs.getString(2) != null ? ":" + rs.getString(2) : "")
                        : "tenant " + rs.getString(3);
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int labelRows(String jobId) throws Exception {
        try (Connection c = LocalCloudResource.cloud().database();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM job_labels WHERE job_id = ?")) {
            s.setString(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void awaitStatus(String jobId, String tenant, String expected) {
        Results.await("job " + jobId + " " + expected, PATIENCE, () -> expected.equals(status(jobId, tenant)));
    }

    private static long deadLetters() {
        return LocalCloudResource.cloud().queueCount(TestCloud.RESULTS_QUEUE + "-dlq", "ApproximateNumberOfMessages")
                + LocalCloudResource.cloud().queueCount(TestCloud.RESULTS_QUEUE + "-dlq",
                        "ApproximateNumberOfMessagesNotVisible");
    }

    @Test
    void resultsInAnyOrderEndInTheLatestStatusAndDuplicatesChangeNothing() throws Exception {
        String job = Results.newJobId();
        Instant t = Instant.now();
        Results.send(Results.of(job, "acme", JobStatus.SUCCEEDED, t.plusSeconds(2)),
                Results.of(job, "acme", JobStatus.PROCESSING, t.plusSeconds(1)),
                Results.of(job, "acme", JobStatus.QUEUED, t));
        awaitStatus(job, "acme", "SUCCEEDED");
        Results.send(Results.of(job, "acme", JobStatus.SUCCEEDED, t.plusSeconds(3)),
                Results.of(job, "acme", JobStatus.PROCESSING, t.plusSeconds(4)));
        Thread.sleep(2000);
        assertEquals("SUCCEEDED", status(job, "acme"));
        assertEquals(2, labelRows(job), "one row per label, not per delivery");
        given().header("X-Tenant-Id", "acme").get("/v1/jobs/" + job).then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("labels[0].Name", equalTo("Dog"));
    }

    @Test
    void aRetriesExhaustedFailureIsReplacedByTheRedrivenJobsRealResult() throws Exception {
        String job = Results.newJobId();
        Instant t = Instant.now();
        Results.send(Results.failed(job, "acme", "RETRIES_EXHAUSTED", t));
        awaitStatus(job, "acme", "FAILED:RETRIES_EXHAUSTED");
        Results.send(Results.of(job, "acme", JobStatus.SUCCEEDED, t.plusSeconds(60)));
        awaitStatus(job, "acme", "SUCCEEDED");
        assertEquals(2, labelRows(job));
        // A late duplicate of the old failure does not undo it.
        Results.send(Results.failed(job, "acme", "RETRIES_EXHAUSTED", t));
        Thread.sleep(2000);
        assertEquals("SUCCEEDED", status(job, "acme"));
    }

    @Test
    void aPermanentFailureIsFinal() throws Exception {
        String job = Results.newJobId();
        Instant t = Instant.now();
        Results.send(Results.failed(job, "acme", "InvalidImageFormatException", t));
        awaitStatus(job, "acme", "FAILED:InvalidImageFormatException");
        Results.send(Results.of(job, "acme", JobStatus.SUCCEEDED, t.plusSeconds(60)));
        Thread.sleep(2000);
        assertEquals("FAILED:InvalidImageFormatException", status(job, "acme"));
    }

    @Test
    void aMessageNamingAnotherTenantChangesNothing() throws Exception {
        String job = Results.newJobId();
        Instant t = Instant.now();
        Results.send(Results.of(job, "tenant-a", JobStatus.QUEUED, t));
        awaitStatus(job, "tenant-a", "QUEUED");
        Results.send(Results.of(job, "tenant-b", JobStatus.SUCCEEDED, t.plusSeconds(1)));
        Thread.sleep(2000);
        assertEquals("QUEUED", status(job, "tenant-a"));
        assertEquals(0, labelRows(job));
        given().header("X-Tenant-Id", "tenant-b").get("/v1/jobs/" + job).then().statusCode(404);
    }

    @Test
    void aDatabaseOutageLongerThanFiveVisibilityTimeoutsLosesAndDeadLettersNothing() throws Exception {
        TestCloud cloud = LocalCloudResource.cloud();
        long deadBefore = deadLetters();
        cloud.postgres().refuse();
        List<String> jobs = new ArrayList<>();
        Instant t = Instant.now();
        for (int i = 0; i < 5; i++) {
            String job = Results.newJobId();
            jobs.add(job);
            Results.send(Results.of(job, "acme", JobStatus.SUCCEEDED, t));
        }
        // Visibility is 4 s here, so 5 receives would take 20 s: stay down for 30.
        Thread.sleep(10_000);
        given().header("X-Tenant-Id", "acme").get("/v1/jobs/" + jobs.get(0)).then().statusCode(503)
                .header("Retry-After", "5").body("error.code", equalTo("DATABASE_UNAVAILABLE"));
        Thread.sleep(20_000);
        assertEquals(deadBefore, deadLetters(), "nothing went to the dead-letter queue");
        cloud.postgres().pass();
        for (String job : jobs) {
            awaitStatus(job, "acme", "SUCCEEDED");
        }
        assertEquals(deadBefore, deadLetters());
    }

    @Test
    void anUnreadableMessageGoesToTheDeadLetterQueueAndTheConsumerGoesOn() throws Exception {
        TestCloud cloud = LocalCloudResource.cloud();
        cloud.purge(TestCloud.RESULTS_QUEUE + "-dlq");
        Results.sendRaw("this is not a result");
        Results.sendRaw("{\"schema\":\"recognition-result/v99\",\"jobId\":\"x\"}");
        Results.await("both dead-lettered", Duration.ofSeconds(60), () -> deadLetters() == 2);
        String job = Results.newJobId();
        Results.send(Results.of(job, "acme", JobStatus.SUCCEEDED, Instant.now()));
        awaitStatus(job, "acme", "SUCCEEDED");

        management().get("/admin/dead-letters?limit=10").then().statusCode(200)
                .body("approximateCount", equalTo(2)).body("messages.size()", equalTo(2));
        management().get("/admin/dead-letters?limit=0").then().statusCode(400)
                .body("error.code", equalTo("INVALID_PARAMETER"));
        assertEquals(2, deadLetters(), "listing leaves them in place");
        cloud.purge(TestCloud.RESULTS_QUEUE + "-dlq");
    }

    @Test
    void aResultRedrivenFromTheDeadLetterQueueIsApplied() throws Exception {
        TestCloud cloud = LocalCloudResource.cloud();
        cloud.purge(TestCloud.RESULTS_QUEUE + "-dlq");
        String job = Results.newJobId();
        cloud.sqsClient().sendMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.RESULTS_QUEUE + "-dlq"))
                .messageBody(Results.write(Results.of(job, "acme", JobStatus.SUCCEEDED, Instant.now()))));
        management().post("/admin/dead-letters/redrive").then().statusCode(200)
                .body("taskHandle", org.hamcrest.Matchers.notNullValue());
        awaitStatus(job, "acme", "SUCCEEDED");
        management().get("/admin/dead-letters/redrives").then().statusCode(200).body("[0].status", equalTo("COMPLETED"));
    }

    @Test
    void aResultTooLargeForAMessageIsReadFromS3AndS3OutagesHoldIt() throws Exception {
        TestCloud cloud = LocalCloudResource.cloud();
        String job = Results.newJobId();
        try (SqsAsyncClient extended = extendedClient(cloud)) {
            cloud.s3().refuse();
            // Written while S3 is reachable for the sender (it goes straight to the server) but not for the service.
            extended.sendMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.RESULTS_QUEUE))
                    .messageBody(Results.write(Results.of(job, "acme", JobStatus.SUCCEEDED, Instant.now())))).join();
            Thread.sleep(6000);
            assertEquals(null, status(job, "acme"), "held while S3 is down");
            cloud.s3().pass();
            awaitStatus(job, "acme", "SUCCEEDED");
        }
        assertEquals(2, labelRows(job));
    }

    @Test
    void aClaimCheckPointingOutsideTheResultsPrefixIsRefused() throws Exception {
        TestCloud cloud = LocalCloudResource.cloud();
        cloud.purge(TestCloud.RESULTS_QUEUE + "-dlq");
        // A readable result, planted where a claim check must never be followed: it is not applied.
        String job = Results.newJobId();
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key("images/acme/secret"),
                RequestBody.fromString(Results.write(Results.of(job, "acme", JobStatus.SUCCEEDED, Instant.now()))));
        cloud.sqsClient().sendMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.RESULTS_QUEUE))
                .messageBody("[\"software.amazon.payloadoffloading.PayloadS3Pointer\",{\"s3BucketName\":\"images\","
                        + "\"s3Key\":\"images/acme/secret\"}]")
                .messageAttributes(Map.of("ExtendedPayloadSize", software.amazon.awssdk.services.sqs.model.MessageAttributeValue
                        .builder().dataType("Number").stringValue("2").build())));
        Results.await("dead-lettered", Duration.ofSeconds(60), () -> deadLetters() == 1);
        assertEquals(null, status(job, "acme"), "the planted result was not applied");
        cloud.purge(TestCloud.RESULTS_QUEUE + "-dlq");
    }

    /** The SQS Extended Client as the worker uses it, storing every message in S3 (straight to the servers). */
    private static SqsAsyncClient extendedClient(TestCloud cloud) {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(TestCloud.ACCESS_KEY,
                TestCloud.SECRET_KEY));
        S3AsyncClient s3 = S3AsyncClient.builder().region(Region.of(TestCloud.REGION)).credentialsProvider(credentials)
                .forcePathStyle(true).endpointOverride(java.net.URI.create("http://localhost:" + cloud.directS3Port()))
                .build();
        SqsAsyncClient sqs = SqsAsyncClient.builder().region(Region.of(TestCloud.REGION)).credentialsProvider(credentials)
                .endpointOverride(java.net.URI.create("http://localhost:" + cloud.directSqsPort())).build();
        return new AmazonSQSExtendedAsyncClient(sqs, new ExtendedAsyncClientConfiguration()
                .withPayloadSupportEnabled(s3, TestCloud.BUCKET).withS3KeyPrefix("results/").withAlwaysThroughS3(true));
    }

}
