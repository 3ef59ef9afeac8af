package io.imagerec.ingest.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.ingest.IngestTestProfile;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/** Per-key budgets of uploads and reads: over the burst a key gets 429 with Retry-After; other keys do not. */
@QuarkusTest
@TestProfile(RateLimitTest.TightLimits.class)
class RateLimitTest {

    /** One upload and one read per second, two at once. */
    public static class TightLimits extends IngestTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("security.rate-limit.uploads-per-second", "1");
            config.put("security.rate-limit.uploads-burst", "2");
            config.put("security.rate-limit.reads-per-second", "1");
            config.put("security.rate-limit.reads-burst", "2");
            return config;
        }
    }

    @BeforeEach
    void noDefaultKey() {
        RestAssured.requestSpecification = null;
    }

    private static String newKey() {
        return given().header("X-Api-Key", TestCloud.OPERATOR_KEY).contentType("application/json")
                .body("{\"scopes\":[\"upload\",\"read\"],\"tenant\":\"acme\"}").post("/v1/keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
    }

    private static Response startUpload(String key) {
        return given().header("X-Api-Key", key).contentType("application/json")
                .body("{\"contentType\":\"image/jpeg\",\"contentLength\":1000}").post("/v1/uploads");
    }

    @Test
    void aKeyOverItsBurstIsAnswered429WithRetryAfterAndOtherKeysAreNot() {
        String busy = newKey();
        String quiet = newKey();
        startUpload(busy).then().statusCode(201);
        startUpload(busy).then().statusCode(201);
        Response refused = startUpload(busy);
        refused.then().statusCode(429).body("error.code", equalTo("RATE_LIMITED"));
        assertTrue(Integer.parseInt(refused.header("Retry-After")) >= 1, refused.headers().toString());

        startUpload(quiet).then().statusCode(201);
        // Reads have their own budget.
        given().header("X-Api-Key", busy).get("/v1/backfills/01a214a7-06ae-7b39-93b5-7b64392a785a")
                .then().statusCode(404);
    }
}
