package io.imagerec.results.search;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.JobStatus;
import io.imagerec.results.Results;
import io.imagerec.results.ResultsTestProfile;
import io.imagerec.security.ApiKeys;
import io.imagerec.security.Caller;
import io.imagerec.security.Scope;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * GET /v1/jobs and GET /v1/labels over HTTP with results sent through the real queue: tenant keys see
 * their own jobs and labels only, GET /v1/jobs/{id} still answers beside the search on the same /v1
 * path, and every bad value is a 400 with a stable code, never a 5xx.
 */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
class SearchResourceTest {

    @Inject
    ApiKeys keys;

    @BeforeEach
    void noDefaultKey() {
        RestAssured.requestSpecification = null;
    }

    private String key(String tenant) {
        Caller operator = new Caller("test", Caller.ANY_TENANT, EnumSet.allOf(Scope.class));
        return keys.create(operator, tenant, "search test", EnumSet.of(Scope.READ)).await().atMost(Duration.ofSeconds(10))
                .key().value();
    }

    @Test
    void aTenantSearchesAndCountsItsOwnJobsOnlyAndJobByIdStillAnswers() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String mine = "search-" + suffix;
        String theirs = "other-" + suffix;
        String myKey = key(mine);
        String theirKey = key(theirs);
        String older = JobIds.next(Instant.now());
        String newer = JobIds.next(Instant.now());
        String foreign = JobIds.next(Instant.now());
        Instant now = Instant.now();
        Results.send(Results.of(older, mine, JobStatus.SUCCEEDED, now.minusSeconds(60)),
                Results.of(newer, mine, JobStatus.SUCCEEDED, now),
                Results.of(foreign, theirs, JobStatus.SUCCEEDED, now));
        Results.await("three jobs stored", Duration.ofSeconds(30),
                () -> given().header("X-Api-Key", myKey).get("/v1/jobs").then().extract().path("items.size()")
                        .equals(2)
                        && given().header("X-Api-Key", theirKey).get("/v1/jobs").then().extract().path("items.size()")
                                .equals(1));

        // Newest first (submitted 60 s apart), labels highest confidence first (equal: by name).
        given().header("X-Api-Key", myKey).get("/v1/jobs?label=Dog&minConfidence=97").then().statusCode(200)
                .body("items.jobId", contains(newer, older)).body("items[0].labels.name", contains("Animal", "Dog"))
                .body("items[0].status", equalTo("SUCCEEDED")).body("nextCursor", nullValue());
        given().header("X-Api-Key", myKey).get("/v1/jobs?label=Dog&minConfidence=98").then().statusCode(200)
                .body("items", empty());
        // A header naming another tenant changes nothing for a tenant's key.
        given().header("X-Api-Key", myKey).header("X-Tenant-Id", theirs).get("/v1/jobs").then().statusCode(200)
                .body("items.jobId", not(hasItem(foreign)));
        given().header("X-Api-Key", theirKey).get("/v1/labels?prefix=Do").then().statusCode(200)
                .body("labels.name", contains("Dog")).body("labels[0].count", equalTo(1));
        given().header("X-Api-Key", myKey).get("/v1/labels").then().statusCode(200)
                .body("labels.name", contains("Animal", "Dog")).body("labels.count", contains(2, 2));
        // The job itself, on the path the search shares.
        given().header("X-Api-Key", myKey).get("/v1/jobs/" + newer).then().statusCode(200).body("jobId", equalTo(newer))
                .body("labels[0].Name", equalTo("Dog"));
        given().header("X-Api-Key", theirKey).get("/v1/jobs/" + JobIds.next(Instant.now().minus(Duration.ofHours(2))))
                .then().statusCode(404).body("error.code", equalTo("JOB_NOT_FOUND"));
        // The old search is unchanged.
        given().header("X-Api-Key", myKey).get("/v1/images?label=Dog").then().statusCode(200)
                .body("items.jobId", hasItem(newer));
    }

    @Test
    void badValuesAre400WithStableCodesNeverA500() {
        RestAssured.requestSpecification = null;
        io.imagerec.testsupport.OperatorKey.use();
        for (String query : List.of("limit=0", "limit=201", "limit=abc", "minConfidence=80", "label=Dog&minConfidence=101",
                "label=Dog&minConfidence=NaN", "minFaces=-1", "minFaces=3&maxFaces=2", "maxFaces=1e99", "status=DONE",
                "from=yesterday", "from=2026-11-01", "to=+999999-01-01T00:00:00Z", "from=0000-12-31T00:00:00Z",
                "from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "label=Dog%00", "text=no%00parking",
                "label=Dog%0D%0AX", "label=" + "x".repeat(300), "text=" + "x".repeat(1001))) {
            given().urlEncodingEnabled(false).get("/v1/jobs?" + query).then().statusCode(400)
                    .body("error.code", equalTo("INVALID_PARAMETER"));
        }
        for (String query : List.of("limit=0", "limit=101", "prefix=Do%00", "prefix=" + "x".repeat(300),
                "minConfidence=-1", "minConfidence=abc")) {
            given().urlEncodingEnabled(false).get("/v1/labels?" + query).then().statusCode(400)
                    .body("error.code", equalTo("INVALID_PARAMETER"));
        }
        for (String forged : List.of("+999999-01-01T00:00:00Z\n" + UUID.randomUUID(), "2024-01-01T00:00:00Z\n\0",
                "-999999-01-01T00:00:00Z\nx", "2024-01-01T00:00:00Z\n" + "x".repeat(300), "2024-01-01T00:00:00Z",
                "2024-01-01T00:00:00Z\n")) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8));
            given().get("/v1/jobs?cursor=" + cursor).then().statusCode(400).body("error.code", equalTo("INVALID_CURSOR"));
        }
        given().urlEncodingEnabled(false).get("/v1/jobs?cursor=not*base64").then().statusCode(400).body("error.code", equalTo("INVALID_CURSOR"));
        // Values that are fine: offsets other than Z, lower-case status, a prefix at the top of Unicode.
        given().urlEncodingEnabled(false).get("/v1/jobs?from=2026-11-01T00:00:00%2B01:00&status=succeeded").then().statusCode(200);
        given().urlEncodingEnabled(false).get("/v1/labels?prefix=%F4%8F%BF%BF").then().statusCode(200).body("labels", empty());
        given().post("/v1/jobs").then().statusCode(405).body("error.code", equalTo("METHOD_NOT_ALLOWED"));
    }
}
