package io.imagerec.rekognition.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.RekognitionException;

/**
 * SigV4 over real HTTP: the engine accepts what the unmodified SDK signs with its own credentials (the
 * test cloud's, from the default credentials chain) and refuses everything else with AWS's errors.
 */
@QuarkusTest
class AuthenticationTest extends SdkClientTest {

    private static final byte[] LIST = "{\"MaxResults\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theSdkSignedRequestIsAccepted() {
        assertEquals(200, rekognition.listCollections(r -> r.maxResults(1)).sdkHttpResponse().statusCode());
        SignedRequests.post("ListCollections", LIST).then().statusCode(200)
                .header("x-rekognition-engine", "rekognition-local");
    }

    @Test
    void anUnsignedRequestIsMissingAuthenticationToken() {
        given().header("X-Amz-Target", "RekognitionService.ListCollections")
                .contentType(SignedRequests.AMZ_JSON).body(LIST)
                .when().post("/")
                .then().statusCode(400)
                .header("x-amzn-ErrorType", "MissingAuthenticationTokenException")
                .body(containsString("{\"__type\":\"MissingAuthenticationTokenException\","
                        + "\"Message\":\"Missing Authentication Token\"}"));
    }

    @Test
    void aWrongSecretIsAnInvalidSignature() {
        try (RekognitionClient wrong = RekognitionClients.client(TestCloud.ACCESS_KEY, "not-the-secret")) {
            RekognitionException e = assertThrows(RekognitionException.class,
                    () -> wrong.listCollections(r -> r.maxResults(1)));
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
            assertFalse(e.awsErrorDetails().errorMessage().contains("not-the-secret"));
        }
    }

    @Test
    void anUnknownAccessKeyIsAnUnrecognizedClient() {
        try (RekognitionClient stranger = RekognitionClients.client("AKIDSTRANGER", TestCloud.SECRET_KEY)) {
            RekognitionException e = assertThrows(RekognitionException.class,
                    () -> stranger.listCollections(r -> r.maxResults(1)));
            assertEquals(403, e.statusCode());
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
            assertFalse(e.awsErrorDetails().errorMessage().contains("AKIDSTRANGER"));
        }
    }

    @Test
    void aRequestSignedTwentyMinutesAgoIsRefused() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC);
        Map<String, String> headers = SignedRequests.headers("ListCollections", LIST, TestCloud.ACCESS_KEY,
                TestCloud.SECRET_KEY, past);
        SignedRequests.post(headers, LIST).then().statusCode(403)
                .header("x-amzn-ErrorType", "InvalidSignatureException")
                .body(containsString("Signature expired"));
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() {
        Map<String, String> headers = SignedRequests.headers("ListCollections", LIST);
        String signature = headers.get("Authorization").substring(headers.get("Authorization").indexOf("Signature=") + 10);
        SignedRequests.post(headers, "{\"MaxResults\":2}".getBytes(StandardCharsets.UTF_8)).then().statusCode(403)
                .header("x-amzn-ErrorType", "InvalidSignatureException")
                .body(containsString("does not match the signature you provided"), not(containsString(signature)));
    }

    @Test
    void healthIsUnsignedOnTheApiPortMetricsAndOpenApiOnTheManagementPort() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(404);
        String metrics = given().port(RekognitionClients.managementEndpoint().getPort())
                .when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.isEmpty());
        given().port(RekognitionClients.managementEndpoint().getPort())
                .when().get("/q/openapi").then().statusCode(200).body(containsString("rekognition-local"));
    }
}
