package io.imagerec.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.ingest.IngestTestProfile;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * The web UI (results-service's origin, port 8081 by default) may upload here from a browser: its
 * preflight is answered with the headers the upload API reads, and the answer exposes Location; any
 * other origin gets no CORS permission.
 */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
class CorsTest {

    private static final String UI = "http://localhost:8081";

    @BeforeEach
    void noDefaultKey() {
        RestAssured.requestSpecification = null;
    }

    @Test
    void theUisPreflightForAnUploadIsAllowed() {
        given().header("Origin", UI)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-api-key,idempotency-key,content-type")
                .options("/v1/images").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(UI))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("X-Api-Key"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Idempotency-Key"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Content-Type"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Authorization"))
                .header("Access-Control-Allow-Credentials", not(equalTo("true")));
        // The same UI reached as 127.0.0.1.
        given().header("Origin", "http://127.0.0.1:8081").header("Access-Control-Request-Method", "POST")
                .options("/v1/images").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("http://127.0.0.1:8081"));
    }

    @Test
    void theUploadsAnswerExposesItsLocationToTheUi() {
        given().header("Origin", UI).header("X-Api-Key", TestCloud.OPERATOR_KEY)
                .multiPart("file", "cors.jpg", GeneratedImages.jpeg(64, 48), "image/jpeg")
                .post("/v1/images").then().statusCode(202)
                .header("Access-Control-Allow-Origin", equalTo(UI))
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("Location"))
                .header("Location", containsString("/v1/jobs/"));
    }

    @Test
    void anotherOriginGetsNoPermission() {
        given().header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-api-key")
                .options("/v1/images").then()
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "http://evil.example").header("X-Api-Key", TestCloud.OPERATOR_KEY)
                .get("/v1/keys").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
