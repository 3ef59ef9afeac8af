package io.imagerec.results.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.contracts.Json;
import io.imagerec.results.Results;
import io.imagerec.security.ApiKeys;
import io.imagerec.security.Caller;
import io.imagerec.security.Scope;
import io.imagerec.testsupport.PrometheusScrape;
import io.imagerec.testsupport.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Webhooks against a real consumer on loopback (allow-listed in this profile) and the real queue and
 * database: deliveries signed as the README says, retried after a 5xx and a stalled answer, dead after
 * the retry window and sent again on request; the API refuses bad and internal targets and shows a
 * tenant nothing of another's.
 */
@QuarkusTest
@TestProfile(WebhookTestProfile.class)
class WebhooksTest {

    private static WebhookReceiver receiver;

    @Inject
    ApiKeys keys;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @BeforeEach
    void noDefaultKey() {
        RestAssured.requestSpecification = null;
    }

    private String key(String tenant, Set<Scope> scopes) {
        Caller operator = new Caller("test", Caller.ANY_TENANT, EnumSet.allOf(Scope.class));
        return keys.create(operator, tenant, "webhook test", scopes).await().atMost(Duration.ofSeconds(10)).key().value();
    }

    private static RequestSpecification as(String key) {
        return given().header("X-Api-Key", key).contentType("application/json");
    }

    private static JsonPath subscribe(String key, String url, List<String> events) {
        Map<String, Object> body = events == null ? Map.of("url", url) : Map.of("url", url, "events", events);
        return as(key).body(body).post("/v1/webhooks").then().statusCode(201).extract().jsonPath();
    }

    private static boolean verifies(String secret, WebhookReceiver.Received r) {
        return WebhookReceiver.verifies(secret, r);
    }

    private static int management() {
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    /** webhooks_deliveries_total of one outcome, as operators see it on /q/metrics. */
    private static double outcomes(PrometheusScrape metrics, String outcome) {
        return metrics.value("webhooks_deliveries_total", Map.of("outcome", outcome));
    }

    private static JsonPath deliveries(String key, String webhookId) {
        return as(key).get("/v1/webhooks/" + webhookId + "/deliveries").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void eachResultIsDeliveredOnceSignedAsDocumentedAndARotatedSecretSignsTheNext() throws Exception {
        String key = key("hooks-signed", EnumSet.of(Scope.ADMIN, Scope.READ));
        JsonPath made = subscribe(key, receiver.url("/signed"), null);
        String webhookId = made.getString("webhookId");
        String secret = made.getString("secret");
        assertTrue(secret.startsWith("whsec_"), secret);
        assertEquals(List.of("job.succeeded", "job.failed"), made.getList("events"));

        String job = Results.newJobId();
        Results.send(Results.of(job, "hooks-signed", JobStatus.QUEUED, Instant.now().minusSeconds(2)),
                Results.of(job, "hooks-signed", JobStatus.SUCCEEDED, Instant.now()));
        Results.await("the delivery", Duration.ofSeconds(30), () -> receiver.received("/signed").size() == 1);
        WebhookReceiver.Received got = receiver.received("/signed").get(0);
        assertTrue(verifies(secret, got), "signature verified with the README's recipe");
        assertEquals("job.succeeded", got.header("X-Imagerec-Event"));
        assertTrue(got.header("X-Imagerec-Delivery").startsWith("dlv_"));
        assertEquals("application/json", got.header("Content-Type"));
        JsonNode body = Json.mapper().readTree(got.body());
        assertEquals(job, body.path("jobId").asText());
        assertEquals("SUCCEEDED", body.path("status").asText());
        assertEquals("Dog", body.path("labels").path(0).path("Name").asText(), "the job JSON, results included");

        Results.await("recorded as delivered", Duration.ofSeconds(10),
                () -> "DELIVERED".equals(deliveries(key, webhookId).getString("deliveries[0].state")));
        JsonPath log = deliveries(key, webhookId);
        assertEquals(1, log.getList("deliveries").size(), "QUEUED is not subscribed: one delivery");
        assertEquals(200, log.getInt("deliveries[0].attemptLog[0].status"));
        assertEquals(got.header("X-Imagerec-Delivery"), log.getString("deliveries[0].deliveryId"));

        String rotated = as(key).post("/v1/webhooks/" + webhookId + "/rotate-secret").then().statusCode(200)
                .extract().path("secret");
        assertNotEquals(secret, rotated);
        String second = Results.newJobId();
        Results.send(Results.failed(second, "hooks-signed", "IMAGE_TOO_LARGE", Instant.now()));
        Results.await("the second delivery", Duration.ofSeconds(30), () -> receiver.received("/signed").size() == 2);
        WebhookReceiver.Received next = receiver.received("/signed").get(1);
        assertEquals("job.failed", next.header("X-Imagerec-Event"));
        assertTrue(verifies(rotated, next), "signed with the new secret");
        assertTrue(!verifies(secret, next), "not with the old one");
        Thread.sleep(1500);
        assertEquals(2, receiver.received("/signed").size(), "each event once");
    }

    @Test
    void aCallbackUrlUnderASubscriptionGetsTheJobsEndSignedWithItsSecret() throws Exception {
        String key = key("hooks-callback", EnumSet.of(Scope.ADMIN));
        JsonPath made = subscribe(key, receiver.url("/cb"), List.of("job.failed"));
        String secret = made.getString("secret");
        String job = Results.newJobId();
        String callback = receiver.url("/cb/job-" + job);
        Results.send(withCallback(Results.of(job, "hooks-callback", JobStatus.QUEUED, Instant.now().minusSeconds(2)),
                callback), withCallback(Results.of(job, "hooks-callback", JobStatus.SUCCEEDED, Instant.now()), callback));
        String elsewhere = Results.newJobId();
        Results.send(withCallback(Results.of(elsewhere, "hooks-callback", JobStatus.SUCCEEDED, Instant.now()),
                receiver.url("/not-subscribed/" + elsewhere)));
        Results.await("the callback", Duration.ofSeconds(30), () -> receiver.received("/cb/job-" + job).size() == 1);
        WebhookReceiver.Received got = receiver.received("/cb/job-" + job).get(0);
        assertTrue(verifies(secret, got), "signed with the secret of the subscription it extends");
        assertEquals("job.succeeded", got.header("X-Imagerec-Event"));
        Results.await("the other job applied", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(
                given().header("X-Api-Key", key("hooks-callback", EnumSet.of(Scope.READ))).get("/v1/jobs/" + elsewhere)
                        .then().extract().path("status")));
        Thread.sleep(2000); // a delivery wrongly recorded would be sent by now
        assertEquals(List.of(), receiver.received("/cb"), "the subscription asked for job.failed only");
        assertEquals(List.of(), receiver.received("/not-subscribed/" + elsewhere),
                "a callback URL under none of the tenant's subscriptions gets nothing");
    }

    private static RecognitionResult withCallback(RecognitionResult r, String callbackUrl) {
        return new RecognitionResult(r.schema(), r.jobId(), r.imageId(), r.tenant(), r.status(), r.errorCode(),
                r.errorMessage(), r.labels(), r.imageProperties(), r.faceDetails(), r.textDetections(), r.modelVersion(),
                r.engine(), r.attempt(), r.submittedAt(), r.occurredAt(), callbackUrl);
    }

    @Test
    void aFailedOrStalledAttemptIsRetriedUntilDelivered() {
        String key = key("hooks-retry", EnumSet.of(Scope.ADMIN));
        receiver.script("/flaky", WebhookReceiver.Step.answer(500), WebhookReceiver.Step.stall(4000), WebhookReceiver.Step.answer(503));
        String webhookId = subscribe(key, receiver.url("/flaky"), List.of("job.succeeded")).getString("webhookId");
        Results.send(Results.of(Results.newJobId(), "hooks-retry", JobStatus.SUCCEEDED, Instant.now()));
        Results.await("delivered on the fourth attempt", Duration.ofSeconds(60),
                () -> "DELIVERED".equals(deliveries(key, webhookId).getString("deliveries[0].state")));
        JsonPath log = deliveries(key, webhookId);
        assertEquals(4, log.getInt("deliveries[0].attempts"));
        assertEquals(500, log.getInt("deliveries[0].attemptLog[0].status"));
        assertTrue(log.getString("deliveries[0].attemptLog[1].error").contains("no whole answer"),
                log.getString("deliveries[0].attemptLog[1].error"));
        assertEquals(503, log.getInt("deliveries[0].attemptLog[2].status"));
        assertEquals(200, log.getInt("deliveries[0].attemptLog[3].status"));
        assertEquals(4, receiver.received("/flaky").size());
        List<String> ids = receiver.received("/flaky").stream().map(r -> r.header("X-Imagerec-Delivery")).distinct().toList();
        assertEquals(1, ids.size(), "every attempt carries the same delivery id");
    }

    @Test
    void aDeliveryThatNeverSucceedsEndsDeadWithItsReasonAndCanBeSentAgain() {
        String key = key("hooks-dead", EnumSet.of(Scope.ADMIN));
        receiver.otherwise(path -> path.equals("/down") ? 502 : 200);
        PrometheusScrape before = PrometheusScrape.of(management());
        try {
            String webhookId = subscribe(key, receiver.url("/down"), List.of("job.succeeded")).getString("webhookId");
            Results.send(Results.of(Results.newJobId(), "hooks-dead", JobStatus.SUCCEEDED, Instant.now()));
            Results.await("dead after the 12 s retry window", Duration.ofSeconds(60),
                    () -> "DEAD".equals(deliveries(key, webhookId).getString("deliveries[0].state")));
            JsonPath log = deliveries(key, webhookId);
            assertTrue(log.getString("deliveries[0].deadReason").contains("retry window ended; last: HTTP 502"),
                    log.getString("deliveries[0].deadReason"));
            int attempts = log.getInt("deliveries[0].attempts");
            assertTrue(attempts >= 3, "retried with back-off before giving up: " + attempts);
            String deliveryId = log.getString("deliveries[0].deliveryId");
            PrometheusScrape dead = PrometheusScrape.of(management());
            assertTrue(outcomes(dead, "dead") - outcomes(before, "dead") >= 1, "counted dead: " + dead.text());
            assertTrue(outcomes(dead, "retry") - outcomes(before, "retry") >= attempts - 1, "each failed attempt counted");
            as(key).get("/v1/webhooks/" + webhookId + "/deliveries?state=DEAD").then().statusCode(200)
                    .body("deliveries[0].deliveryId", equalTo(deliveryId));

            receiver.otherwise(path -> 200);
            as(key).post("/v1/webhooks/" + webhookId + "/deliveries/" + deliveryId + "/redeliver").then().statusCode(202)
                    .body("state", equalTo("PENDING"));
            Results.await("delivered once the consumer is back", Duration.ofSeconds(30),
                    () -> "DELIVERED".equals(deliveries(key, webhookId).getString("deliveries[0].state")));
            assertTrue(outcomes(PrometheusScrape.of(management()), "delivered") - outcomes(dead, "delivered") >= 1,
                    "the redelivery counted delivered");
            as(key).post("/v1/webhooks/" + webhookId + "/deliveries/dlv_" + "0".repeat(32) + "/redeliver").then()
                    .statusCode(404).body("error.code", equalTo("DELIVERY_NOT_FOUND"));
        } finally {
            receiver.otherwise(path -> 200);
        }
    }

    @Test
    void badAndInternalTargetsAreRefusedAndATenantSeesOnlyItsOwn() {
        String key = key("hooks-api", EnumSet.of(Scope.ADMIN));
        for (String url : List.of("ftp://example.com/x", "http://user:pw@127.0.0.1/", "not a url", "http:///x")) {
            as(key).body(Map.of("url", url)).post("/v1/webhooks").then().statusCode(400)
                    .body("error.code", equalTo("INVALID_WEBHOOK_URL"));
        }
        for (String url : List.of("http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/",
                "http://192.168.1.10:8080/", "http://127.0.0.2/", "http://0.0.0.0/")) {
            as(key).body(Map.of("url", url)).post("/v1/webhooks").then().statusCode(400)
                    .body("error.code", equalTo("WEBHOOK_TARGET_NOT_ALLOWED"));
        }
        as(key).body(Map.of("url", receiver.url("/x"), "events", List.of("job.exploded"))).post("/v1/webhooks").then()
                .statusCode(400).body("error.code", equalTo("INVALID_EVENT_TYPE"));
        as(key).body(Map.of("url", receiver.url("/x"), "events", List.of())).post("/v1/webhooks").then()
                .statusCode(400).body("error.code", equalTo("INVALID_EVENT_TYPE"));
        as(key).body("{not json").post("/v1/webhooks").then().statusCode(400);

        String webhookId = subscribe(key, receiver.url("/api"), List.of("job.failed")).getString("webhookId");
        as(key).get("/v1/webhooks").then().statusCode(200).body("webhooks[0].webhookId", equalTo(webhookId))
                .body("webhooks[0].secret", nullValue());
        as(key).get("/v1/webhooks/" + webhookId).then().statusCode(200).body("url", startsWith("http://127.0.0.1:"))
                .body("secret", nullValue());

        String other = key("hooks-other", EnumSet.of(Scope.ADMIN));
        String theirs = as(other).header("X-Tenant-Id", "hooks-api").get("/v1/webhooks/" + webhookId).then()
                .statusCode(404).body("error.code", equalTo("WEBHOOK_NOT_FOUND")).extract().asString();
        String unknown = "wh_" + "0".repeat(24);
        String nobodys = as(other).get("/v1/webhooks/" + unknown).then().statusCode(404).extract().asString();
        assertEquals(nobodys, theirs, "another tenant's subscription is answered as an unknown one");
        as(other).get("/v1/webhooks").then().statusCode(200).body("webhooks.size()", equalTo(0));
        as(other).delete("/v1/webhooks/" + webhookId).then().statusCode(404);
        as(other).get("/v1/webhooks/" + webhookId + "/deliveries").then().statusCode(404);

        String reader = key("hooks-api", EnumSet.of(Scope.READ));
        as(reader).get("/v1/webhooks").then().statusCode(403);
        given().get("/v1/webhooks").then().statusCode(401);

        as(key).get("/v1/webhooks/" + webhookId + "/deliveries?limit=0").then().statusCode(400)
                .body("error.code", equalTo("INVALID_PARAMETER"));
        as(key).get("/v1/webhooks/" + webhookId + "/deliveries?state=LOST").then().statusCode(400);
        as(key).get("/v1/webhooks/" + webhookId + "/deliveries?cursor=bm9wZQ").then().statusCode(400)
                .body("error.code", equalTo("INVALID_CURSOR"));
        as(key).delete("/v1/webhooks/" + webhookId).then().statusCode(204);
        as(key).get("/v1/webhooks/" + webhookId).then().statusCode(404);
    }
}
