package io.imagerec.results.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.JobStatus;
import io.imagerec.results.Results;
import io.imagerec.results.ResultsTestProfile;
import io.imagerec.testsupport.LocalCloudResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The polling API against the real database: a job just accepted, unknown jobs, tenants, bad input. */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
class ResultsResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void useOperatorKey() {
        io.imagerec.testsupport.OperatorKey.use();
    }

    @Test
    void aJobAcceptedMomentsAgoIsQueuedBeforeItsFirstEventArrives() {
        String justMade = JobIds.next(Instant.now());
        given().get("/v1/jobs/" + justMade).then().statusCode(200)
                .body("jobId", equalTo(justMade)).body("status", equalTo("QUEUED")).body("imageId", nullValue());
        given().header("X-Tenant-Id", "someone-else").get("/v1/jobs/" + justMade).then().statusCode(200)
                .body("status", equalTo("QUEUED"));
    }

    @Test
    void unknownAndLongAgoJobsAreNotFound() {
        given().get("/v1/jobs/" + UUID.randomUUID()).then().statusCode(404).body("error.code", equalTo("JOB_NOT_FOUND"));
        given().get("/v1/jobs/" + JobIds.next(Instant.now().minus(Duration.ofHours(2)))).then().statusCode(404)
                .body("error.code", equalTo("JOB_NOT_FOUND"));
        given().get("/v1/jobs/not-an-id").then().statusCode(404).body("error.code", equalTo("JOB_NOT_FOUND"));
    }

    @Test
    void aStoredJobIsAnsweredFromTheDatabaseAndOnlyToItsTenant() {
        String job = JobIds.next(Instant.now());
        Results.send(Results.of(job, "acme", JobStatus.SUCCEEDED, Instant.now()));
        Results.await("stored", Duration.ofSeconds(30), () -> given().header("X-Tenant-Id", "acme").get("/v1/jobs/" + job)
                .then().extract().path("status").equals("SUCCEEDED"));
        given().header("X-Tenant-Id", "acme").get("/v1/jobs/" + job).then().statusCode(200)
                .body("imageId", equalTo("img-" + job)).body("engine", equalTo("local"));
        // Another tenant sees exactly what it sees for any other recent id.
        given().header("X-Tenant-Id", "other").get("/v1/jobs/" + job).then().statusCode(200)
                .body("status", equalTo("QUEUED")).body("imageId", nullValue());
        given().header("X-Tenant-Id", "other").get("/v1/images/img-" + job).then().statusCode(404)
                .body("error.code", equalTo("IMAGE_NOT_FOUND"));
    }

    @Test
    void aDatabaseOutageIs503WithRetryAfter() throws Exception {
        LocalCloudResource.cloud().postgres().refuse();
        try {
            given().get("/v1/images?label=Dog").then().statusCode(503).header("Retry-After", "5")
                    .body("error.code", equalTo("DATABASE_UNAVAILABLE"));
        } finally {
            LocalCloudResource.cloud().postgres().pass();
        }
        // Answers again within seconds: connections broken by the outage are validated away on borrow.
        Results.await("answers again", Duration.ofSeconds(10),
                () -> given().get("/v1/images?label=Dog").then().extract().statusCode() == 200);
    }

    @Test
    void operatorsEndpointsAreNotOnThePublicPort() {
        given().get("/admin/dead-letters").then().statusCode(404);
        given().post("/admin/dead-letters/redrive").then().statusCode(404);
    }

    @Test
    void moderationLabelsAreStoredShownAndSearchableOnlyByTheirTenant() {
        String flagged = JobIds.next(Instant.now());
        String clean = JobIds.next(Instant.now());
        com.fasterxml.jackson.databind.node.ArrayNode moderation = io.imagerec.contracts.Json.mapper().createArrayNode();
        moderation.addObject().put("Confidence", 91.5).put("Name", "Explicit").put("ParentName", "")
                .put("TaxonomyLevel", 1);
        moderation.addObject().put("Confidence", 91.5).put("Name", "Explicit Nudity").put("ParentName", "Explicit")
                .put("TaxonomyLevel", 2);
        Instant now = Instant.now();
        Results.send(withModeration(Results.of(flagged, "acme", JobStatus.SUCCEEDED, now), moderation),
                withModeration(Results.of(clean, "acme", JobStatus.SUCCEEDED, now),
                        io.imagerec.contracts.Json.mapper().createArrayNode()));
        for (String job : List.of(flagged, clean)) {
            Results.await("stored", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(given().header("X-Tenant-Id", "acme")
                    .get("/v1/jobs/" + job).then().extract().path("status")));
        }
        given().header("X-Tenant-Id", "acme").get("/v1/jobs/" + flagged).then().statusCode(200)
                .body("moderationLabels.Name", equalTo(List.of("Explicit", "Explicit Nudity")))
                .body("moderationLabels[1].ParentName", equalTo("Explicit"))
                .body("moderationLabels[1].TaxonomyLevel", equalTo(2));
        given().header("X-Tenant-Id", "acme").get("/v1/jobs/" + clean).then().statusCode(200)
                .body("moderationLabels", equalTo(List.of()));
        // Both the category and the second-level label find the flagged image, above the confidence asked.
        for (String name : List.of("Explicit", "Explicit%20Nudity")) {
            given().header("X-Tenant-Id", "acme").urlEncodingEnabled(false)
                    .get("/v1/images?moderationLabel=" + name + "&minConfidence=90").then().statusCode(200)
                    .body("items.jobId", org.hamcrest.Matchers.hasItem(flagged))
                    .body("items.jobId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(clean)));
        }
        given().header("X-Tenant-Id", "acme").get("/v1/images?moderationLabel=Explicit&minConfidence=95").then()
                .statusCode(200).body("items.jobId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(flagged)));
        given().header("X-Tenant-Id", "other").get("/v1/images?moderationLabel=Explicit").then().statusCode(200)
                .body("items.jobId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(flagged)));
        given().get("/v1/images?moderationLabel=Explicit&label=Dog").then().statusCode(400)
                .body("error.code", equalTo("INVALID_PARAMETER"));
        given().urlEncodingEnabled(false).get("/v1/images?moderationLabel=Explicit%00").then().statusCode(400)
                .body("error.code", equalTo("INVALID_PARAMETER"));
    }

    private static io.imagerec.contracts.RecognitionResult withModeration(io.imagerec.contracts.RecognitionResult r,
            com.fasterxml.jackson.databind.JsonNode moderation) {
        return new io.imagerec.contracts.RecognitionResult(r.schema(), r.jobId(), r.imageId(), r.tenant(), r.status(),
                r.errorCode(), r.errorMessage(), r.labels(), r.imageProperties(), r.faceDetails(), r.textDetections(),
                r.modelVersion(), r.engine(), r.attempt(), r.submittedAt(), r.occurredAt(), r.callbackUrl(),
                r.traceContext(), moderation);
    }

    @Test
    void badQueriesAre400WithStableCodes() {
        given().get("/v1/images?label=Dog&cursor=bm9wZQ").then().statusCode(400).body("error.code", equalTo("INVALID_CURSOR"));
        given().get("/v1/images?label=Dog&limit=0").then().statusCode(400).body("error.code", equalTo("INVALID_PARAMETER"));
        given().header("X-Tenant-Id", "Bad Tenant").get("/v1/images?label=Dog").then().statusCode(400)
                .body("error.code", equalTo("INVALID_TENANT"));
    }

    @Test
    void hostileValuesAre4xxWithStableCodesNeverA500() {
        // Numbers that do not parse are 400, not Quarkus REST's 404.
        for (String query : List.of("label=Dog&limit=abc", "label=Dog&limit=1e99", "label=Dog&minConfidence=abc",
                "label=Dog&minConfidence=NaN", "minFaces=-1", "minFaces=abc", "maxFaces=1e99")) {
            given().urlEncodingEnabled(false).get("/v1/images?" + query).then().statusCode(400)
                    .body("error.code", equalTo("INVALID_PARAMETER"));
        }
        // NUL (which PostgreSQL refuses) and other control characters in search values and ids.
        for (String query : List.of("label=Dog%00", "text=no%00parking", "label=Dog%0D%0AX", "label=" + "x".repeat(300))) {
            given().urlEncodingEnabled(false).get("/v1/images?" + query).then().statusCode(400)
                    .body("error.code", equalTo("INVALID_PARAMETER"));
        }
        given().urlEncodingEnabled(false).get("/v1/jobs/abc%00def").then().statusCode(404)
                .body("error.code", equalTo("JOB_NOT_FOUND"));
        given().urlEncodingEnabled(false).get("/v1/images/img-%00").then().statusCode(404)
                .body("error.code", equalTo("IMAGE_NOT_FOUND"));
        // Forged cursors: a date PostgreSQL cannot hold, a NUL for the job id.
        for (String forged : List.of("+999999-01-01T00:00:00Z\n" + UUID.randomUUID(), "2024-01-01T00:00:00Z\n\0",
                "-999999-01-01T00:00:00Z\nx", "2024-01-01T00:00:00Z\n" + "x".repeat(300))) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8));
            for (String search : List.of("label=Dog", "text=parking", "minFaces=1")) {
                given().get("/v1/images?" + search + "&cursor=" + cursor).then().statusCode(400)
                        .body("error.code", equalTo("INVALID_CURSOR"));
            }
        }
        given().post("/v1/jobs/" + UUID.randomUUID()).then().statusCode(405).body("error.code", equalTo("METHOD_NOT_ALLOWED"));
    }
}
