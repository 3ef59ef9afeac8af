package io.imagerec.ingest.rest;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.ingest.IngestTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/** Metrics and OpenAPI are on the management port only; health is on both, for load balancers. */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
class ManagementInterfaceTest {

    @BeforeEach
    void noKey() {
        RestAssured.requestSpecification = null;
    }

    private static int management() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    @Test
    void metricsAndOpenApiAreServedOnTheManagementPortOnly() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/openapi").then().statusCode(404);
        given().port(management()).get("/q/metrics").then().statusCode(200);
        given().port(management()).get("/q/openapi").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
