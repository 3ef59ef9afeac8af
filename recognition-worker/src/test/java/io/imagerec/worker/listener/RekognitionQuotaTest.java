package io.imagerec.worker.listener;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import io.imagerec.worker.QuotaTestProfile;
import io.imagerec.worker.ResultsQueue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The worker against the packaged engine with a small quota ({@link QuotaTestProfile}: 2 calls/s, no
 * burst, ProvisionedThroughputExceededException and ThrottlingException in turn): a burst of jobs far
 * above the quota is throttled, really, and every job still ends SUCCEEDED.
 */
@QuarkusTest
@TestProfile(QuotaTestProfile.class)
class RekognitionQuotaTest {

    private static final int JOBS = 12;

    private TestCloud cloud;

    @BeforeEach
    void needsTheEngine() {
        cloud = LocalCloudResource.cloud();
        Assumptions.assumeTrue(cloud.engineAvailable(),
                "rekognition-local is not packaged (./mvnw test from a clean tree): the worker's tests need it; "
                        + "./mvnw verify runs them");
    }

    @Test
    void aBurstOfJobsOverTheEnginesQuotaIsThrottledAndEveryJobSucceeds() throws Exception {
        double engineRefusedBefore = sum(engineMetrics(), "rekognition_quota_calls_total", "outcome=\"refused\"");
        double workerThrottledBefore = sum(workerMetrics(), "worker_rekognition_throttled_total", "");
        String key = "images/acme/" + UUID.randomUUID();
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key(key),
                RequestBody.fromBytes(GeneratedImages.jpeg(320, 240)));
        List<RecognitionJob> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String jobId = UUID.randomUUID().toString();
            RecognitionJob job = new RecognitionJob(RecognitionJob.SCHEMA, jobId, "img-" + jobId, "acme",
                    TestCloud.BUCKET, key, List.of(Feature.LABELS), null, null, Instant.now(), Map.of());
            jobs.add(job);
            String body = Json.mapper().writeValueAsString(job);
            cloud.sqsClient().sendMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.JOBS_QUEUE)).messageBody(body));
        }

        for (RecognitionJob job : jobs) {
            RecognitionResult result = ResultsQueue.awaitFinal(job.jobId(), Duration.ofSeconds(120)).result();
            assertEquals(JobStatus.SUCCEEDED, result.status(), result.toString());
            assertEquals("local", result.engine());
            assertEquals(1, result.attempt(), "throttles are retried within the call, not by spending a receive");
        }

        Map<String, Double> engine = engineMetrics();
        double engineRefused = sum(engine, "rekognition_quota_calls_total", "outcome=\"refused\"") - engineRefusedBefore;
        double workerThrottled = sum(workerMetrics(), "worker_rekognition_throttled_total", "") - workerThrottledBefore;
        assertTrue(engineRefused > 0, "the engine refused calls over its quota");
        assertEquals(engineRefused, workerThrottled, 0.0,
                "every refusal was seen by the worker as a throttle and retried");
        for (String error : List.of("ProvisionedThroughputExceededException", "ThrottlingException")) {
            assertTrue(sum(workerMetrics(), "worker_rekognition_throttled_total", "error=\"" + error + "\"") > 0,
                    error + " was retried");
        }
    }

    private Map<String, Double> engineMetrics() throws Exception {
        return parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + cloud.engineManagementPort() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static Map<String, Double> workerMetrics() {
        return parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /**
     * Prometheus text: each sample line, name with labels, and its value; an OpenMetrics exemplar after
     * the value ({@code # {trace_id="..."} 1.0 ...}, present with OpenTelemetry) is left out.
     */
    private static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new java.util.HashMap<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][^ ]*) (\\S+)(?: # .*)?$").matcher(text);
        while (m.find()) {
            samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return samples;
    }

    /** The sum of every sample of a metric whose labels contain {@code labels}. */
    private static double sum(Map<String, Double> samples, String metric, String labels) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(metric) || e.getKey().startsWith(metric + "{"))
                .filter(e -> e.getKey().contains(labels))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
