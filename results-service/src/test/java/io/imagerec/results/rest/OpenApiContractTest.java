package io.imagerec.results.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;

import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Json;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.results.Results;
import io.imagerec.results.ResultsTestProfile;
import io.imagerec.security.ApiKeys;
import io.imagerec.security.Caller;
import io.imagerec.security.Scope;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The OpenAPI document is the contract: the live document (/q/openapi on the management port) is
 * fetched, and real answers of every results endpoint (200s, 4xx error bodies, 404s, 503) are checked
 * against it: the status is one the operation lists, the content type one it describes, and the body
 * valid against its schema (JSON Schema 2020-12 with the OpenAPI 3.1 vocabulary, formats asserted).
 * Every /v1 operation of the document must be exercised here or named in {@link #NOT_YET_CHECKED}, so a
 * new endpoint comes with its contract check.
 */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {

    /** The name the fetched document is known by to the validator, so that its $refs resolve inside it. */
    private static final String DOCUMENT = "https://results-service.invalid/openapi.json";

    /**
     * Operations other branches add (webhooks, live events, image content), known to be unchecked here
     * until their answers are added to this test; remove each as it is. An operation neither checked nor
     * listed here fails the test.
     */
    private static final Set<String> NOT_YET_CHECKED = Set.of(
            "GET /v1/events", "GET /v1/jobs/{jobId}/events", "GET /v1/images/{imageId}/content");

    @Inject
    ApiKeys keys;

    private final ObjectMapper json = Json.mapper();
    private JsonNode document;
    private JsonSchemaFactory schemas;
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final Set<String> exercised = new TreeSet<>();

    @BeforeAll
    void fetchTheLiveDocument() throws Exception {
        RestAssured.requestSpecification = null;
        int management = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        String text = given().baseUri("http://localhost").port(management).get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString();
        document = json.readTree(text);
        assertTrue(document.path("openapi").asText().startsWith("3.1"), "an OpenAPI 3.1 document: " + document.path("openapi"));
        schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri())
                        .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT, text))));
    }

    @Test
    void everyOperationAnswersAsTheDocumentSays() throws Exception {
        String tenant = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        String succeeded = JobIds.next(Instant.now());
        String failed = JobIds.next(Instant.now());
        Results.send(withFacesAndText(Results.of(succeeded, tenant, JobStatus.SUCCEEDED, Instant.now())),
                Results.failed(failed, tenant, "InvalidImageFormatException", Instant.now()));
        RequestSpecification operator = new RequestSpecBuilder().addHeader("X-Api-Key", TestCloud.OPERATOR_KEY)
                .addHeader("X-Tenant-Id", tenant).build();
        Results.await("both jobs stored", Duration.ofSeconds(30), () -> List.of(succeeded, failed).stream()
                .allMatch(id -> !"QUEUED".equals(given().spec(operator).get("/v1/jobs/" + id).then().extract().path("status"))));

        // 200s
        ok(get(operator, "/v1/jobs/{jobId}", "/v1/jobs/" + succeeded));
        ok(get(operator, "/v1/jobs/{jobId}", "/v1/jobs/" + failed));
        ok(get(operator, "/v1/jobs/{jobId}", "/v1/jobs/" + JobIds.next(Instant.now()))); // just accepted: QUEUED
        ok(get(operator, "/v1/images/{imageId}", "/v1/images/img-" + succeeded));
        ok(get(operator, "/v1/images", "/v1/images?label=Dog&minConfidence=50"));
        ok(get(operator, "/v1/images", "/v1/images?label=Dog&limit=1"));
        ok(get(operator, "/v1/images", "/v1/images?text=parking"));
        ok(get(operator, "/v1/images", "/v1/images?minFaces=1&maxFaces=3"));
        ok(get(operator, "/v1/jobs", "/v1/jobs"));
        Response onePage = ok(get(operator, "/v1/jobs", "/v1/jobs?limit=1"));
        assertTrue(onePage.jsonPath().getString("nextCursor") != null, "two jobs, a page of one: " + onePage.asString());
        ok(get(operator, "/v1/jobs", "/v1/jobs?limit=1&cursor=" + onePage.jsonPath().getString("nextCursor")));
        Response all = ok(get(operator, "/v1/jobs", "/v1/jobs?label=Dog&minConfidence=80&text=parking&minFaces=1"
                + "&maxFaces=3&status=SUCCEEDED&from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&limit=10"));
        assertEquals(List.of(succeeded), all.jsonPath().getList("items.jobId"));
        ok(get(operator, "/v1/jobs", "/v1/jobs?status=FAILED"));
        ok(get(operator, "/v1/labels", "/v1/labels"));
        Response facets = ok(get(operator, "/v1/labels", "/v1/labels?prefix=Do&minConfidence=80&limit=5"));
        assertEquals(List.of(Map.of("name", "Dog", "count", 1)), facets.jsonPath().getList("labels"));

        // 404s
        notFound(get(operator, "/v1/jobs/{jobId}", "/v1/jobs/" + UUID.randomUUID()), "JOB_NOT_FOUND");
        notFound(get(operator, "/v1/images/{imageId}", "/v1/images/img-" + UUID.randomUUID()), "IMAGE_NOT_FOUND");
        notFound(get(given().header("X-Api-Key", TestCloud.OPERATOR_KEY).header("X-Tenant-Id", "someone-else"),
                "/v1/images/{imageId}", "/v1/images/img-" + succeeded), "IMAGE_NOT_FOUND");

        // 400s
        refused(get(operator, "/v1/images", "/v1/images"), 400, "INVALID_PARAMETER");
        refused(get(operator, "/v1/images", "/v1/images?label=Dog&cursor=bm9wZQ"), 400, "INVALID_CURSOR");
        refused(get(operator, "/v1/jobs", "/v1/jobs?status=DONE"), 400, "INVALID_PARAMETER");
        refused(get(operator, "/v1/jobs", "/v1/jobs?from=yesterday"), 400, "INVALID_PARAMETER");
        refused(get(operator, "/v1/jobs", "/v1/jobs?limit=abc"), 400, "INVALID_PARAMETER");
        refused(get(operator, "/v1/jobs", "/v1/jobs?cursor=bm9wZQ"), 400, "INVALID_CURSOR");
        refused(get(operator, "/v1/labels", "/v1/labels?limit=0"), 400, "INVALID_PARAMETER");

        // Every operation: 401 without a key, 403 without the read scope, 400 for a malformed X-Tenant-Id.
        String uploader = keys.create(new Caller("test", Caller.ANY_TENANT, EnumSet.allOf(Scope.class)), tenant,
                "contract test", EnumSet.of(Scope.UPLOAD)).await().atMost(Duration.ofSeconds(10)).key().value();
        Map<String, String> everyOperation = Map.of("/v1/jobs/{jobId}", "/v1/jobs/" + succeeded,
                "/v1/images/{imageId}", "/v1/images/img-" + succeeded, "/v1/images", "/v1/images?label=Dog",
                "/v1/jobs", "/v1/jobs", "/v1/labels", "/v1/labels");
        everyOperation.forEach((template, path) -> {
            refused(get(given(), template, path), 401, "UNAUTHENTICATED");
            refused(get(given().header("X-Api-Key", uploader), template, path), 403, "FORBIDDEN");
            refused(get(given().header("X-Api-Key", TestCloud.OPERATOR_KEY).header("X-Tenant-Id", "Not A Tenant"),
                    template, path), 400, "INVALID_TENANT");
        });
        refused(get(given().spec(operator).accept("text/plain"), "/v1/jobs", "/v1/jobs"), 406, "NOT_ACCEPTABLE");

        // The database down: 503 with Retry-After, in the error body.
        LocalCloudResource.cloud().postgres().refuse();
        try {
            for (String template : List.of("/v1/jobs", "/v1/labels", "/v1/jobs/{jobId}")) {
                Response down = refused(get(operator, template, everyOperation.get(template)), 503, "DATABASE_UNAVAILABLE");
                assertEquals("5", down.header("Retry-After"));
            }
        } finally {
            LocalCloudResource.cloud().postgres().pass();
        }
        Results.await("answers again after the outage", Duration.ofSeconds(10),
                () -> given().spec(operator).get("/v1/jobs").statusCode() == 200);

        webhookOperations();

        Set<String> documented = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith("/v1/")) {
                path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey()));
            }
        });
        Set<String> unchecked = new TreeSet<>(documented);
        unchecked.removeAll(exercised);
        unchecked.removeAll(NOT_YET_CHECKED);
        assertEquals(Set.of(), unchecked, "every documented /v1 operation is checked against the document here");
    }

    /** The webhook API: made, listed, read, rotated, its deliveries, refusals, deleted (admin scope). */
    private void webhookOperations() {
        String tenant = "contract-hooks-" + UUID.randomUUID().toString().substring(0, 8);
        RequestSpecification admin = new RequestSpecBuilder().addHeader("X-Api-Key", TestCloud.OPERATOR_KEY)
                .addHeader("X-Tenant-Id", tenant).setContentType("application/json").build();
        // A public address literal: no DNS here, and no event of this tenant is ever sent to it.
        Response made = call("post", admin, "/v1/webhooks", "/v1/webhooks",
                "{\"url\":\"https://93.184.216.34/hooks\",\"description\":\"contract\"}");
        assertEquals(201, made.statusCode(), made.asString());
        String id = made.jsonPath().getString("webhookId");
        ok(call("get", admin, "/v1/webhooks", "/v1/webhooks", null));
        ok(call("get", admin, "/v1/webhooks/{webhookId}", "/v1/webhooks/" + id, null));
        ok(call("post", admin, "/v1/webhooks/{webhookId}/rotate-secret", "/v1/webhooks/" + id + "/rotate-secret", null));
        ok(call("get", admin, "/v1/webhooks/{webhookId}/deliveries", "/v1/webhooks/" + id + "/deliveries?limit=5", null));
        refused(call("post", admin, "/v1/webhooks", "/v1/webhooks", "{\"url\":\"http://10.0.0.1/\"}"), 400,
                "WEBHOOK_TARGET_NOT_ALLOWED");
        // A name, resolved for real (no allow-list in this profile): localhost is loopback however it resolves.
        refused(call("post", admin, "/v1/webhooks", "/v1/webhooks", "{\"url\":\"http://localhost:8080/in\"}"), 400,
                "WEBHOOK_TARGET_NOT_ALLOWED");
        refused(call("post", admin, "/v1/webhooks", "/v1/webhooks", "{\"url\":\"ftp://x/\"}"), 400,
                "INVALID_WEBHOOK_URL");
        notFound(call("post", admin, "/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", "/v1/webhooks/" + id
                + "/deliveries/dlv_" + "0".repeat(32) + "/redeliver", null), "DELIVERY_NOT_FOUND");
        refused(call("get", given().header("X-Api-Key", TestCloud.OPERATOR_KEY).header("X-Tenant-Id", "Not A Tenant"),
                "/v1/webhooks", "/v1/webhooks", null), 400, "INVALID_TENANT");
        refused(call("get", given(), "/v1/webhooks/{webhookId}", "/v1/webhooks/" + id, null), 401, "UNAUTHENTICATED");
        Response deleted = call("delete", admin, "/v1/webhooks/{webhookId}", "/v1/webhooks/" + id, null);
        assertEquals(204, deleted.statusCode(), deleted.asString());
        notFound(call("delete", admin, "/v1/webhooks/{webhookId}", "/v1/webhooks/" + id, null), "WEBHOOK_NOT_FOUND");
    }

    private Response call(String method, RequestSpecification spec, String template, String path, String body) {
        exercised.add(method.toUpperCase() + " " + template);
        RequestSpecification request = given().spec(spec).urlEncodingEnabled(false);
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        Response response = request.request(method.toUpperCase(), path);
        conforms(method, template, response);
        return response;
    }

    @Test
    void theValidatorRefusesAnAnswerThatBreaksTheSchema() throws Exception {
        JsonSchema page = schemas.getSchema(SchemaLocation.of(DOCUMENT + "#/components/schemas/JobPage"), config);
        assertTrue(page.validate(json.readTree("{\"items\":[],\"nextCursor\":null}")).isEmpty());
        assertFalse(page.validate(json.readTree("{\"items\":[{\"jobId\":\"j\"}],\"nextCursor\":null}")).isEmpty(),
                "an item without its required fields");
        assertFalse(page.validate(json.readTree("{\"items\":[]}")).isEmpty(), "nextCursor is always there");
        String item = "{\"jobId\":\"j\",\"imageId\":\"i\",\"status\":\"%s\",\"submittedAt\":\"%s\",\"completedAt\":null,"
                + "\"faceCount\":null,\"labels\":[{\"name\":\"Dog\",\"confidence\":97.1}]}";
        assertTrue(page.validate(json.readTree("{\"items\":[" + String.format(item, "SUCCEEDED", "2026-11-26T03:00:00Z")
                + "],\"nextCursor\":\"abc\"}")).isEmpty());
        assertFalse(page.validate(json.readTree("{\"items\":[" + String.format(item, "DONE", "2026-11-26T03:00:00Z")
                + "],\"nextCursor\":null}")).isEmpty(), "a status outside the enumeration");
        assertFalse(page.validate(json.readTree("{\"items\":[" + String.format(item, "QUEUED", "yesterday")
                + "],\"nextCursor\":null}")).isEmpty(), "a time that is not a date-time");
        JsonSchema error = schemas.getSchema(SchemaLocation.of(DOCUMENT + "#/components/schemas/ApiError"), config);
        assertFalse(error.validate(json.readTree("{\"error\":{\"code\":\"X\"}}")).isEmpty(), "an error without a message");
    }

    private static RecognitionResult withFacesAndText(RecognitionResult r) {
        ArrayNode faces = Json.mapper().createArrayNode();
        faces.addObject().put("Confidence", 99.1);
        faces.addObject().put("Confidence", 98.0);
        ArrayNode text = Json.mapper().createArrayNode();
        text.addObject().put("DetectedText", "No parking").put("Type", "LINE").put("Confidence", 97.0);
        return new RecognitionResult(r.schema(), r.jobId(), r.imageId(), r.tenant(), r.status(), null, null,
                r.labels(), null, faces, text, r.modelVersion(), r.engine(), r.attempt(), r.submittedAt(), r.occurredAt());
    }

    private Response get(RequestSpecification spec, String template, String path) {
        exercised.add("GET " + template);
        Response response = given().spec(spec).urlEncodingEnabled(false).get(path);
        conforms("get", template, response);
        return response;
    }

    private static Response ok(Response r) {
        assertEquals(200, r.statusCode(), r.asString());
        return r;
    }

    private static void notFound(Response r, String code) {
        refused(r, 404, code);
    }

    private static Response refused(Response r, int status, String code) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals(code, r.jsonPath().getString("error.code"), r.asString());
        return r;
    }

    /** The answer is one the document describes: a listed status, a described content type, a valid body. */
    private void conforms(String method, String template, Response r) {
        String what = method.toUpperCase() + " " + template + " answered " + r.statusCode() + " " + r.asString();
        JsonNode operation = document.path("paths").path(template).path(method);
        assertFalse(operation.isMissingNode(), "the document has " + method.toUpperCase() + " " + template);
        JsonNode described = operation.path("responses").path(String.valueOf(r.statusCode()));
        assertFalse(described.isMissingNode(), "a status the document lists: " + what);
        JsonNode content = described.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            assertEquals("", r.asString(), "no body, as the document says: " + what);
            return;
        }
        String type = r.contentType().split(";")[0].trim();
        assertTrue(content.has(type), "a content type the document describes (" + content.fieldNames().next() + "): " + what);
        String pointer = "/paths/" + escape(template) + "/" + method + "/responses/" + r.statusCode() + "/content/"
                + escape(type) + "/schema";
        JsonSchema schema = schemas.getSchema(SchemaLocation.of(DOCUMENT + "#" + pointer), config);
        Set<ValidationMessage> errors;
        try {
            errors = schema.validate(json.readTree(r.asString()));
        } catch (Exception e) {
            throw new AssertionError("a JSON body: " + what, e);
        }
        assertTrue(errors.isEmpty(), "valid against the document's schema: " + what + "\n" + errors.stream()
                .map(ValidationMessage::getMessage).collect(Collectors.joining("\n")));
    }

    /** A JSON pointer token in a URI fragment: ~ and / escaped (RFC 6901), braces percent-encoded. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
    }
}
