package io.imagerec.ingest.keys;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.ingest.IngestTestProfile;
import io.imagerec.ingest.Queues;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * API keys end to end in ingest, against the real S3 that stores them: no key or a bad key is 401 in
 * the one error format, the tenant comes from the key and never from a header, scopes are enforced,
 * a tenant's admin sees and manages its own keys only, rotation and revocation take effect, only a
 * salted hash is stored, and an S3 outage is a 503, never a 401.
 */
@QuarkusTest
@TestProfile(IngestTestProfile.class)
class ApiKeyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestCloud cloud;

    @BeforeEach
    void setUp() {
        cloud = LocalCloudResource.cloud();
        cloud.purge(TestCloud.JOBS_QUEUE, TestCloud.RESULTS_QUEUE);
        RestAssured.requestSpecification = null;
    }

    @AfterEach
    void heal() throws Exception {
        cloud.healAll();
    }

    private static RequestSpecification as(String key) {
        return given().header("X-Api-Key", key);
    }

    private static Response create(String adminKey, String tenant, String... scopes) {
        String body = tenant == null
                ? "{\"name\":\"test key\",\"scopes\":" + toJson(scopes) + "}"
                : "{\"name\":\"test key\",\"scopes\":" + toJson(scopes) + ",\"tenant\":\"" + tenant + "\"}";
        return as(adminKey).contentType("application/json").body(body).post("/v1/keys");
    }

    private static String toJson(String[] scopes) {
        return "[" + String.join(",", List.of(scopes).stream().map(s -> "\"" + s + "\"").toList()) + "]";
    }

    private static String newKey(String tenant, String... scopes) {
        Response created = create(TestCloud.OPERATOR_KEY, tenant, scopes);
        created.then().statusCode(201);
        return created.jsonPath().getString("key");
    }

    private static Response upload(String key, String tenantHeader) {
        RequestSpecification request = as(key).contentType("image/jpeg").body(GeneratedImages.jpeg(64, 48));
        if (tenantHeader != null) {
            request.header("X-Tenant-Id", tenantHeader);
        }
        return request.post("/v1/images");
    }

    @Test
    void withoutAValidKeyEveryEndpointIs401InTheOneErrorFormat() {
        given().contentType("image/jpeg").body(GeneratedImages.jpeg(64, 48)).post("/v1/images").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHENTICATED"));
        for (String path : List.of("/v1/uploads", "/v1/keys", "/v1/backfills")) {
            given().contentType("application/json").body("{}").post(path).then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer realm=\"imagerec\"")
                    .body("error.code", equalTo("UNAUTHENTICATED"));
        }
        given().get("/v1/backfills/01a214a7-06ae-7b39-93b5-7b64392a785a").then().statusCode(401);
        String unknown = "irk_0123456789abcdef_" + "A".repeat(43);
        for (String bad : List.of(unknown, "not-a-key", "irk_\u0000", "x".repeat(5000))) {
            upload(bad, null).then().statusCode(401).body("error.code", equalTo("UNAUTHENTICATED"));
        }
        given().header("Authorization", "Bearer " + unknown).get("/v1/keys").then().statusCode(401);
        // Health stays open for probes.
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void theTenantComesFromTheKeyNeverFromAHeader() throws Exception {
        String acme = newKey("acme", "upload", "read");
        upload(acme, "globex").then().statusCode(202);
        List<JsonNode> jobs = Queues.drain(cloud, TestCloud.JOBS_QUEUE);
        assertEquals(1, jobs.size());
        assertEquals("acme", jobs.get(0).path("tenant").asText());
        assertTrue(jobs.get(0).path("key").asText().contains("acme"), jobs.get(0).toString());
        // Bearer works as well as X-Api-Key.
        given().header("Authorization", "Bearer " + acme).contentType("image/jpeg").body(GeneratedImages.jpeg(64, 48))
                .post("/v1/images").then().statusCode(202);
    }

    @Test
    void scopesAreEnforced() {
        String reader = newKey("acme", "read");
        upload(reader, null).then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        String uploader = newKey("acme", "upload");
        as(uploader).get("/v1/keys").then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        as(uploader).contentType("application/json").body("{\"bucket\":\"old-photos\"}").post("/v1/backfills")
                .then().statusCode(403);
        as(uploader).get("/v1/backfills/01a214a7-06ae-7b39-93b5-7b64392a785a").then().statusCode(403);
        upload(uploader, null).then().statusCode(202);
    }

    @Test
    void aTenantAdminManagesItsOwnKeysOnly() {
        String acmeAdmin = newKey("acme", "admin", "read");
        String globexKey = create(TestCloud.OPERATOR_KEY, "globex", "read").jsonPath().getString("keyId");

        create(acmeAdmin, "globex", "read").then().statusCode(403).body("error.code", equalTo("FORBIDDEN"));
        // A scope the admin key does not have cannot be granted.
        create(acmeAdmin, null, "upload").then().statusCode(403);
        Response made = create(acmeAdmin, null, "read");
        made.then().statusCode(201).body("tenant", equalTo("acme")).body("scopes", hasItem("read"));
        String keyId = made.jsonPath().getString("keyId");

        // Another tenant's key is not found, exactly like a key that does not exist.
        String missing = as(acmeAdmin).get("/v1/keys/" + globexKey).then().statusCode(404)
                .body("error.code", equalTo("API_KEY_NOT_FOUND")).extract().asString();
        assertEquals(missing, as(acmeAdmin).get("/v1/keys/0123456789abcdef").then().statusCode(404).extract().asString());
        as(acmeAdmin).delete("/v1/keys/" + globexKey).then().statusCode(404);
        as(acmeAdmin).post("/v1/keys/" + globexKey + "/rotate").then().statusCode(404);

        // The listing holds the tenant's keys, without secrets or hashes.
        Response listed = as(acmeAdmin).get("/v1/keys");
        listed.then().statusCode(200).body("keyId", hasItem(keyId)).body("keyId", not(hasItem(globexKey)))
                .body("tenant", not(hasItem("globex")));
        assertFalse(listed.asString().contains("\"key\""), listed.asString());
        assertFalse(listed.asString().contains("hash"), listed.asString());
        // What a listing says of scopes is what a create takes.
        as(acmeAdmin).get("/v1/keys/" + keyId).then().statusCode(200).body("scopes", hasItem("read"));
        // The operator sees every tenant's.
        as(TestCloud.OPERATOR_KEY).get("/v1/keys").then().statusCode(200).body("keyId", hasItem(globexKey));
    }

    @Test
    void rotationAndRevocationTakeEffect() {
        Response made = create(TestCloud.OPERATOR_KEY, "acme", "upload", "read");
        String keyId = made.jsonPath().getString("keyId");
        String old = made.jsonPath().getString("key");
        upload(old, null).then().statusCode(202);

        String rotated = as(TestCloud.OPERATOR_KEY).post("/v1/keys/" + keyId + "/rotate").then().statusCode(200)
                .body("keyId", equalTo(keyId)).extract().jsonPath().getString("key");
        upload(old, null).then().statusCode(401);
        upload(rotated, null).then().statusCode(202);

        as(TestCloud.OPERATOR_KEY).delete("/v1/keys/" + keyId).then().statusCode(200)
                .body("revokedAt", not(nullValue()));
        upload(rotated, null).then().statusCode(401);
        as(TestCloud.OPERATOR_KEY).post("/v1/keys/" + keyId + "/rotate").then().statusCode(404);
    }

    @Test
    void onlyASaltedHashIsStored() throws Exception {
        Response made = create(TestCloud.OPERATOR_KEY, "acme", "read");
        String keyId = made.jsonPath().getString("keyId");
        String secret = made.jsonPath().getString("key").substring(("irk_" + keyId + "_").length());
        String stored = new String(cloud.s3Client().getObjectAsBytes(b -> b.bucket(TestCloud.BUCKET)
                .key("apikeys/" + keyId + ".json")).asByteArray(), StandardCharsets.UTF_8);
        JsonNode record = JSON.readTree(stored);
        assertFalse(stored.contains(secret), stored);
        assertEquals(64, record.path("hash").asText().length(), stored);
        assertFalse(record.path("salt").asText().isEmpty(), stored);
        assertEquals("acme", record.path("tenant").asText());
    }

    @Test
    void badRequestsToTheKeyApiAre400() {
        as(TestCloud.OPERATOR_KEY).contentType("application/json").body("{\"scopes\":[\"root\"]}").post("/v1/keys")
                .then().statusCode(400).body("error.code", equalTo("INVALID_PARAMETER"));
        as(TestCloud.OPERATOR_KEY).contentType("application/json").body("{\"scopes\":[]}").post("/v1/keys")
                .then().statusCode(400);
        as(TestCloud.OPERATOR_KEY).contentType("application/json")
                .body("{\"scopes\":[\"read\"],\"tenant\":\"Bad Tenant\"}").post("/v1/keys").then().statusCode(400);
        as(TestCloud.OPERATOR_KEY).contentType("application/json").body("{\"scopes\":[\"read\"],\"name\":\"a\\u0000b\"}")
                .post("/v1/keys").then().statusCode(400);
        as(TestCloud.OPERATOR_KEY).contentType("application/json").body("{not json").post("/v1/keys")
                .then().statusCode(400).body("error.code", equalTo("INVALID_PARAMETER"));
        as(TestCloud.OPERATOR_KEY).get("/v1/keys/..%2F..%2Fimages").then().statusCode(404);
    }

    @Test
    void anS3OutageIs503NotABadKey() throws Exception {
        // A key never looked up before, so no replica has it cached.
        String fresh = newKey("acme", "upload");
        // The cache of this replica knows the key from its creation; a key made elsewhere is not known yet.
        String elsewhere = "irk_" + "fedcba9876543210" + "_" + "B".repeat(43);
        cloud.s3().refuse();
        as(elsewhere).get("/v1/keys").then().statusCode(503).header("Retry-After", "5")
                .body("error.code", equalTo("KEYS_UNAVAILABLE"));
        cloud.s3().pass();
        upload(fresh, null).then().statusCode(202);
    }
}
