package io.imagerec.results.images;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.imagerec.results.ResultsTestProfile;
import io.imagerec.security.ApiKeys;
import io.imagerec.security.Caller;
import io.imagerec.security.Scope;
import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * GET /v1/images/{imageId}/content against the real S3: the bytes ingest stored under the tenant's prefix,
 * with their type; another tenant's image, an unknown one and a malformed id all answer the same 404;
 * S3 down is a 503.
 */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
class ImageContentResourceTest {

    @Inject
    ApiKeys keys;

    @BeforeEach
    void noDefaultKey() {
        RestAssured.requestSpecification = null;
    }

    private String key(String tenant, Set<Scope> scopes) {
        Caller operator = new Caller("test", Caller.ANY_TENANT, EnumSet.allOf(Scope.class));
        return keys.create(operator, tenant, "image content test", scopes).await().atMost(Duration.ofSeconds(10))
                .key().value();
    }

    private static RequestSpecification as(String key) {
        return given().header("X-Api-Key", key);
    }

    /** Stores an object where ingest would, straight in S3. */
    private static void store(String key, byte[] bytes, String contentType) {
        TestCloud cloud = LocalCloudResource.cloud();
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key(key).contentType(contentType),
                RequestBody.fromBytes(bytes));
    }

    @Test
    void theTenantsImageIsStreamedWithItsType() {
        String acme = key("acme", EnumSet.of(Scope.READ));
        String imageId = UUID.randomUUID().toString();
        byte[] jpeg = GeneratedImages.jpeg(900, 700);
        store("images/acme/" + imageId, jpeg, "image/jpeg");

        byte[] served = as(acme).get("/v1/images/" + imageId + "/content").then().statusCode(200)
                .header("Content-Type", equalTo("image/jpeg"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .extract().asByteArray();
        assertArrayEquals(jpeg, served);

        // A direct upload's image (its upload id is its image id) lives under direct/.
        String directId = UUID.randomUUID().toString();
        byte[] png = GeneratedImages.encode(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png");
        store("direct/acme/" + directId, png, "image/png");
        assertArrayEquals(png, as(acme).get("/v1/images/" + directId + "/content").then().statusCode(200)
                .header("Content-Type", equalTo("image/png")).extract().asByteArray());
    }

    @Test
    void anotherTenantsImageIsAnsweredLikeAnUnknownOne() {
        String globex = key("globex", EnumSet.of(Scope.READ));
        String imageId = UUID.randomUUID().toString();
        store("images/acme/" + imageId, GeneratedImages.jpeg(32, 32), "image/jpeg");

        String theirs = as(globex).header("X-Tenant-Id", "acme").get("/v1/images/" + imageId + "/content").then()
                .statusCode(404).body("error.code", equalTo("IMAGE_NOT_FOUND")).extract().asString();
        String unknownId = UUID.randomUUID().toString();
        String nobodys = as(globex).get("/v1/images/" + unknownId + "/content").then().statusCode(404)
                .extract().asString();
        assertEquals(nobodys.replace(unknownId, "ID"), theirs.replace(imageId, "ID"), "the same answer as an unknown id");
        // Ids that could reach outside the tenant's prefix name nothing.
        as(globex).get("/v1/images/..%2Facme%2F" + imageId + "/content").then().statusCode(404);
        as(globex).get("/v1/images/a.b/content").then().statusCode(404).body("error.code", equalTo("IMAGE_NOT_FOUND"));
    }

    @Test
    void withoutAKeyOrTheReadScopeNoImageIsServed() {
        String imageId = UUID.randomUUID().toString();
        store("images/acme/" + imageId, GeneratedImages.jpeg(32, 32), "image/jpeg");
        given().get("/v1/images/" + imageId + "/content").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHENTICATED"));
        String uploader = key("acme", EnumSet.of(Scope.UPLOAD));
        as(uploader).get("/v1/images/" + imageId + "/content").then().statusCode(403)
                .body("error.code", equalTo("FORBIDDEN"));
    }

    @Test
    void s3DownIsAnsweredAsUnavailable() throws Exception {
        String acme = key("acme", EnumSet.of(Scope.READ));
        String imageId = UUID.randomUUID().toString();
        store("images/acme/" + imageId, GeneratedImages.jpeg(32, 32), "image/jpeg");
        as(acme).get("/v1/images/" + imageId + "/content").then().statusCode(200);
        TestCloud cloud = LocalCloudResource.cloud();
        cloud.s3().refuse();
        try {
            as(acme).get("/v1/images/" + imageId + "/content").then().statusCode(503)
                    .header("Retry-After", equalTo("5"))
                    .body("error.code", equalTo("STORAGE_UNAVAILABLE"));
        } finally {
            cloud.healAll();
        }
    }
}
