package io.imagerec.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.imagerec.contracts.Json;
import io.imagerec.testsupport.TestCloud;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Key records in the real S3 (S3Proxy): a new key never overwrites another, and a change made from a
 * stale read loses (a rotation racing a revocation cannot bring the revoked key back).
 */
class ApiKeyStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestCloud cloud;
    private static S3AsyncClient s3;
    private static ApiKeyStore store;

    @BeforeAll
    static void start() throws Exception {
        cloud = TestCloud.start(false);
        s3 = S3AsyncClient.builder().region(Region.of(TestCloud.REGION)).forcePathStyle(true)
                .endpointOverride(URI.create("http://localhost:" + cloud.s3().port()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestCloud.ACCESS_KEY, TestCloud.SECRET_KEY)))
                .build();
        store = new ApiKeyStore(s3, TestCloud.BUCKET, Json.mapper());
    }

    @AfterAll
    static void stop() {
        s3.close();
        cloud.close();
    }

    @Test
    void aStaleRotationCannotUndoARevocation() {
        ApiKey key = ApiKey.generate();
        ApiKeyRecord made = ApiKeyRecord.of(key, "acme", "race", EnumSet.of(Scope.READ), Instant.now(), "test");
        store.put(made).await().atMost(WAIT);
        assertTrue(made.matches(key));

        ApiKeyStore.Versioned seenByRotation = store.versioned(key.keyId()).await().atMost(WAIT).orElseThrow();
        ApiKeyStore.Versioned seenByRevocation = store.versioned(key.keyId()).await().atMost(WAIT).orElseThrow();
        store.replace(seenByRevocation.record().revoked(Instant.now()), seenByRevocation.etag()).await().atMost(WAIT);

        ApiKey rotated = key.rotated();
        assertThrows(ApiKeyStore.ChangedMeanwhile.class, () -> store.replace(
                seenByRotation.record().withSecret(rotated, Instant.now()), seenByRotation.etag()).await().atMost(WAIT));
        ApiKeyRecord now = store.get(key.keyId()).await().atMost(WAIT).orElseThrow();
        assertNotNull(now.revokedAt(), "still revoked");
        assertTrue(!now.matches(rotated) && !now.matches(key));
    }

    @Test
    void aNewKeyNeverReplacesAnExistingRecordAndScopesAreStoredLowerCase() throws Exception {
        ApiKey key = ApiKey.generate();
        store.put(ApiKeyRecord.of(key, "acme", "first", EnumSet.of(Scope.UPLOAD), Instant.now(), "test"))
                .await().atMost(WAIT);
        assertThrows(ApiKeyStore.ChangedMeanwhile.class, () -> store.put(ApiKeyRecord.of(key, "globex", "second",
                EnumSet.of(Scope.ADMIN), Instant.now(), "test")).await().atMost(WAIT));
        ApiKeyRecord kept = store.get(key.keyId()).await().atMost(WAIT).orElseThrow();
        assertEquals("acme", kept.tenant());
        String stored = new String(cloud.s3Client().getObjectAsBytes(b -> b.bucket(TestCloud.BUCKET)
                .key("apikeys/" + key.keyId() + ".json")).asByteArray());
        assertTrue(stored.contains("\"scopes\":[\"upload\"]"), stored);
    }
}
