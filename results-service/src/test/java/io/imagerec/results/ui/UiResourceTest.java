package io.imagerec.results.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.endsWith;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.results.ResultsTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * The web UI is served without a key (it holds no data) under a strict content security policy, and
 * its settings are public; every /v1 endpoint still needs a key.
 */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
class UiResourceTest {

    @BeforeEach
    void noKey() {
        RestAssured.requestSpecification = null;
    }

    @Test
    void thePageAndItsFilesNeedNoKey() {
        given().get("/ui/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<script type=\"module\" src=\"app.js\">"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self' http://localhost:8080"))
                .header("X-Content-Type-Options", equalTo("nosniff"));
        given().get("/ui/app.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/ui/app.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/ui/no-such-file.js").then().statusCode(404);
    }

    @Test
    void theRootLeadsToThePage() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", endsWith("/ui/"));
        given().redirects().follow(false).get("/ui").then().statusCode(302).header("Location", endsWith("/ui/"));
    }

    @Test
    void theSettingsArePublic() {
        given().get("/ui/config.json").then().statusCode(200).contentType(containsString("application/json"))
                .body("ingestUrl", equalTo("http://localhost:8080"));
    }

    @Test
    void theApiStillNeedsAKey() {
        given().get("/v1/jobs/00000000-0000-0000-0000-000000000000").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHENTICATED"));
        given().get("/v1/images/x/content").then().statusCode(401);
        given().get("/v1/images?label=Dog").then().statusCode(401);
    }
}
