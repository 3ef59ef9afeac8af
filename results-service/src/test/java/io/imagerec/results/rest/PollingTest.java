package io.imagerec.results.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.JobStatus;
import io.imagerec.results.Results;
import io.imagerec.results.ResultsTestProfile;
import io.imagerec.testsupport.OperatorKey;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Polling done right: a weak ETag, 304 for If-None-Match, and Retry-After while a job is unfinished. */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
class PollingTest {

    @BeforeEach
    void useOperatorKey() {
        OperatorKey.use();
    }

    @Test
    void anUnfinishedJobCarriesRetryAfterAndAnEtagThatAnswers304() {
        String tenant = "poll-" + System.nanoTime();
        String job = JobIds.next(Instant.now());
        // Not stored yet (within the pending window): QUEUED, with a tag and Retry-After.
        String pending = given().header("X-Tenant-Id", tenant).get("/v1/jobs/" + job).then().statusCode(200)
                .header("Retry-After", "2").extract().header("ETag");
        assertTrue(pending.startsWith("W/\""), pending);
        given().header("X-Tenant-Id", tenant).header("If-None-Match", pending).get("/v1/jobs/" + job).then()
                .statusCode(304).header("ETag", pending).body(emptyString());

        Results.send(Results.of(job, tenant, JobStatus.PROCESSING, Instant.now()));
        Results.await("processing", Duration.ofSeconds(60), () -> "PROCESSING".equals(given().header("X-Tenant-Id", tenant)
                .get("/v1/jobs/" + job).then().extract().path("status")));
        String processing = given().header("X-Tenant-Id", tenant).header("If-None-Match", pending).get("/v1/jobs/" + job)
                .then().statusCode(200).header("Retry-After", "2").body("status", equalTo("PROCESSING"))
                .extract().header("ETag");
        assertNotEquals(pending, processing);

        Results.send(Results.of(job, tenant, JobStatus.SUCCEEDED, Instant.now()));
        Results.await("succeeded", Duration.ofSeconds(60), () -> "SUCCEEDED".equals(given().header("X-Tenant-Id", tenant)
                .get("/v1/jobs/" + job).then().extract().path("status")));
        // Finished: no Retry-After; the old tag no longer matches, the new one does.
        String done = given().header("X-Tenant-Id", tenant).header("If-None-Match", processing).get("/v1/jobs/" + job)
                .then().statusCode(200).header("Retry-After", nullValue()).body("status", equalTo("SUCCEEDED"))
                .extract().header("ETag");
        assertNotEquals(processing, done);
        given().header("X-Tenant-Id", tenant).header("If-None-Match", "\"other\", " + done).get("/v1/jobs/" + job).then()
                .statusCode(304).header("ETag", done).header("Retry-After", nullValue());
        given().header("X-Tenant-Id", tenant).header("If-None-Match", "*").get("/v1/jobs/" + job).then().statusCode(304);

        // An image's answer has a tag too.
        String image = given().header("X-Tenant-Id", tenant).get("/v1/images/img-" + job).then().statusCode(200)
                .extract().header("ETag");
        given().header("X-Tenant-Id", tenant).header("If-None-Match", image).get("/v1/images/img-" + job).then()
                .statusCode(304);
        // Unknown ids stay 404 whatever If-None-Match says.
        given().header("X-Tenant-Id", tenant).header("If-None-Match", "*").get("/v1/images/img-none").then()
                .statusCode(404).body("error.code", equalTo("IMAGE_NOT_FOUND"));
    }
}
