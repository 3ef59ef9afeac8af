package io.imagerec.results.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

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
import io.restassured.specification.RequestSpecification;

/**
 * Tenants with their own keys (stored in the real S3 the way ingest stores them): a key reads its own
 * tenant's jobs, images and search only, whatever X-Tenant-Id it sends; another tenant's image id is
 * answered exactly as an id that does not exist; no key is 401 and a key without {@code read} is 403.
 */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
class TenantIsolationTest {

    @Inject
    ApiKeys keys;

    @BeforeEach
    void noDefaultKey() {
        RestAssured.requestSpecification = null;
    }

    private String key(String tenant, Set<Scope> scopes) {
        Caller operator = new Caller("test", Caller.ANY_TENANT, EnumSet.allOf(Scope.class));
        return keys.create(operator, tenant, "isolation test", scopes).await().atMost(Duration.ofSeconds(10)).key().value();
    }

    private static RequestSpecification as(String key) {
        return given().header("X-Api-Key", key);
    }

    @Test
    void aKeySeesItsOwnTenantOnly() {
        String acme = key("acme", EnumSet.of(Scope.READ));
        String globex = key("globex", EnumSet.of(Scope.READ));
        String job = JobIds.next(Instant.now());
        String label = "Iso" + job.substring(job.length() - 8).replace("-", "");
        Results.send(Results.of(job, "acme", JobStatus.SUCCEEDED, Instant.now()));
        Results.await("stored", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(as(acme).get("/v1/jobs/" + job)
                .then().extract().path("status")));

        as(acme).get("/v1/images/img-" + job).then().statusCode(200);
        as(acme).get("/v1/images?label=Dog").then().statusCode(200).body("items.imageId", hasItem("img-" + job));

        // globex, even naming acme in the header, sees nothing of it.
        String theirs = as(globex).header("X-Tenant-Id", "acme").get("/v1/images/img-" + job).then().statusCode(404)
                .extract().asString();
        String unknownId = JobIds.next(Instant.now());
        String nobodys = as(globex).get("/v1/images/img-" + unknownId).then().statusCode(404).extract().asString();
        assertEquals(nobodys.replace(unknownId, "ID"), theirs.replace(job, "ID"), "the same answer as an unknown id");
        as(globex).header("X-Tenant-Id", "acme").get("/v1/images?label=Dog").then().statusCode(200)
                .body("items.imageId", not(hasItem("img-" + job)));
        as(globex).get("/v1/jobs/" + job).then().statusCode(200).body("imageId", equalTo(null));
        as(globex).get("/v1/images?label=" + label).then().statusCode(200).body("items", empty());
    }

    @Test
    void withoutAKeyOrTheReadScopeNothingIsAnswered() {
        given().get("/v1/images?label=Dog").then().statusCode(401).body("error.code", equalTo("UNAUTHENTICATED"));
        given().header("X-Api-Key", "irk_0123456789abcdef_" + "C".repeat(43)).get("/v1/jobs/x").then().statusCode(401);
        String uploader = key("acme", EnumSet.of(Scope.UPLOAD));
        as(uploader).get("/v1/images?label=Dog").then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
    }
}
