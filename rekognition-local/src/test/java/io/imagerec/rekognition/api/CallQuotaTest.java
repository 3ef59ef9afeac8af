package io.imagerec.rekognition.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.rekognition.model.RekognitionException;
import software.amazon.awssdk.services.rekognition.model.ThrottlingException;

/**
 * {@code rekognition.quota.*} through the unmodified AWS SDK client: calls beyond the quota are refused
 * with the exceptions and statuses of Rekognition's service model, which the SDK itself classifies as
 * throttling, and the SDK's own retries get through.
 */
@QuarkusTest
@TestProfile(CallQuotaTest.SmallQuota.class)
class CallQuotaTest extends SdkClientTest {

    static final double RATE = 0.2;
    static final int BURST = 2;

    /** One call every five seconds after a burst of two; both refusals, alternating. */
    public static class SmallQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rekognition.quota.calls-per-second", Double.toString(RATE),
                    "rekognition.quota.burst", Integer.toString(BURST),
                    "rekognition.quota.error", "both");
        }
    }

    @Test
    void callsBeyondTheQuotaAreRefusedAsRekognitionRefusesThem() throws Exception {
        int admitted = 0;
        int provisioned = 0;
        int throttling = 0;
        double refusedBefore = engineRefusals();
        long start = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            try {
                rekognition.listCollections(r -> r.maxResults(1));
                admitted++;
            } catch (ProvisionedThroughputExceededException e) {
                provisioned++;
                assertEquals(400, e.statusCode(), "a client error in the service model");
                assertRefusal(e, "ProvisionedThroughputExceededException");
            } catch (ThrottlingException e) {
                throttling++;
                assertEquals(500, e.statusCode(), "a server fault in the service model");
                assertRefusal(e, "ThrottlingException");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // The bucket starts full (BURST) and refills at RATE while the calls run.
        assertTrue(admitted <= BURST + Math.ceil(seconds * RATE), admitted + " admitted in " + seconds + " s");
        assertTrue(provisioned >= 1 && throttling >= 1, "both refusals, alternating: " + provisioned + " and " + throttling);
        assertEquals(12, admitted + provisioned + throttling);
        assertEquals(provisioned + throttling, engineRefusals() - refusedBefore, 0.0, "the engine counts its refusals");
    }

    @Test
    void theSdksOwnThrottlingRetriesGetThrough() throws Exception {
        // Empty the bucket first, so that the call below is refused before it is admitted.
        for (int i = 0; i < 2 * BURST; i++) {
            try {
                rekognition.listCollections(r -> r.maxResults(1));
            } catch (RekognitionException e) {
                // refused: the bucket is empty
            }
        }
        double refusedBefore = engineRefusals();
        try (RekognitionClient retrying = RekognitionClient.builder()
                .endpointOverride(RekognitionClients.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(TestCloud.ACCESS_KEY,
                        TestCloud.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(30)
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200),
                                Duration.ofSeconds(1)))
                        .circuitBreakerEnabled(false)
                        .build()))
                .build()) {
            assertEquals(200, retrying.listCollections(r -> r.maxResults(1)).sdkHttpResponse().statusCode());
        }
        assertTrue(engineRefusals() > refusedBefore, "the call was refused at least once before it got through");
    }

    private static void assertRefusal(RekognitionException e, String type) {
        assertEquals(type, e.awsErrorDetails().errorCode());
        assertTrue(e.isThrottlingException(), "the SDK classifies " + type + " as throttling");
        assertTrue(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amzn-RequestId").isPresent());
        assertTrue(e.awsErrorDetails().errorMessage().contains("ate exceeded"), e.awsErrorDetails().errorMessage());
    }

    /** rekognition_quota_calls_total{outcome="refused"} from the engine's Prometheus metrics. */
    static double engineRefusals() throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(RekognitionClients.managementEndpoint() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^rekognition_quota_calls_total\\{outcome=\"refused\"} (\\S+)$").matcher(metrics);
        if (!m.find()) {
            fail("no refusal counter in the engine's metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
