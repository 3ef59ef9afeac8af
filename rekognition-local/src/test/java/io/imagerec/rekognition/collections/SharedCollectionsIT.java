package io.imagerec.rekognition.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.imagerec.rekognition.TestImages;
import io.imagerec.testsupport.EngineProcess;
import io.imagerec.testsupport.TestCloud;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.Face;
import software.amazon.awssdk.services.rekognition.model.FaceRecord;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;

/**
 * Two packaged engines on one PostgreSQL (rekognition.collections.store=postgresql), called in turn
 * through the real SDK client: what one indexes, deletes or drops, the other answers on its next call;
 * both indexing into one collection at once lose no face; a third engine started afterwards answers
 * from the tables at once. Needs {@code rekognition-local/target/quarkus-app} (failsafe runs it after
 * package) and the sample faces.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedCollectionsIT {

    private static final String COLLECTION = "shared-people";
    private static TestCloud cloud;
    private static EngineProcess engineA;
    private static EngineProcess engineB;
    private static RekognitionClient a;
    private static RekognitionClient b;
    private static Path faces;

    @BeforeAll
    static void startTwoEngines() throws Exception {
        Assumptions.assumeTrue(EngineProcess.isBuilt(),
                "rekognition-local/target/quarkus-app is not built (./mvnw -pl rekognition-local package)");
        faces = TestImages.testdata().resolve("faces");
        cloud = TestCloud.start(false);
        engineA = engine("a");
        engineB = engine("b");
        a = client(engineA);
        b = client(engineB);
    }

    private static EngineProcess engine(String name) throws Exception {
        Path data = Files.createDirectories(cloud.data().resolve("engine-" + name));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("rekognition.collections.store", "postgresql");
        properties.put("quarkus.datasource.jdbc.url", cloud.config().get("DATABASE_URL"));
        properties.put("quarkus.datasource.username", "rekognition");
        properties.put("quarkus.datasource.password", cloud.engineDatabasePassword());
        return EngineProcess.start(data, "http://localhost:" + cloud.directS3Port(), properties);
    }

    private static RekognitionClient client(EngineProcess engine) {
        return RekognitionClient.builder()
                .endpointOverride(URI.create("http://localhost:" + engine.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestCloud.ACCESS_KEY, TestCloud.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()))
                .build();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, engineA, engineB, cloud}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing what started; the next one still closes
            }
        }
    }

    private static Image image(String file) {
        try {
            return Image.builder().bytes(SdkBytes.fromByteArray(Files.readAllBytes(faces.resolve(file)))).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> faceIds(RekognitionClient client) {
        Set<String> ids = new HashSet<>();
        String token = null;
        do {
            String t = token;
            var page = client.listFaces(r -> r.collectionId(COLLECTION).maxResults(50).nextToken(t));
            page.faces().forEach(f -> ids.add(f.faceId()));
            token = page.nextToken();
        } while (token != null);
        return ids;
    }

    @Test
    @Order(1)
    void whatOneEngineIndexesAndDeletesTheOtherAnswersOnItsNextCall() {
        a.createCollection(r -> r.collectionId(COLLECTION));
        String obama = a.indexFaces(r -> r.collectionId(COLLECTION).image(image("obama.jpg")).externalImageId("obama"))
                .faceRecords().get(0).face().faceId();
        // B: the face A indexed, found by another photo, listed and counted.
        var found = b.searchFacesByImage(r -> r.collectionId(COLLECTION).image(image("obama2.jpg")));
        assertEquals(obama, found.faceMatches().get(0).face().faceId());
        assertEquals(Set.of(obama), faceIds(b));
        assertEquals(1L, b.describeCollection(r -> r.collectionId(COLLECTION)).faceCount());
        assertTrue(b.listCollections(r -> r.maxResults(1000)).collectionIds().contains(COLLECTION));

        // And the other way round.
        String biden = b.indexFaces(r -> r.collectionId(COLLECTION).image(image("biden_portrait.jpg"))
                .externalImageId("biden")).faceRecords().get(0).face().faceId();
        var fromA = a.searchFaces(r -> r.collectionId(COLLECTION).faceId(biden).faceMatchThreshold(0f));
        assertEquals(biden, fromA.searchedFaceId());
        assertEquals(List.of(obama), fromA.faceMatches().stream().map(m -> m.face().faceId()).toList());
        assertEquals(Set.of(obama, biden), faceIds(a));
        assertEquals(2L, a.describeCollection(r -> r.collectionId(COLLECTION)).faceCount());

        // Deletions: on B, seen by A; on A, seen by B.
        assertEquals(List.of(obama), b.deleteFaces(r -> r.collectionId(COLLECTION).faceIds(obama)).deletedFaces());
        assertEquals(Set.of(biden), faceIds(a));
        assertThrows(InvalidParameterException.class, () -> a.searchFaces(r -> r.collectionId(COLLECTION).faceId(obama)));
        assertTrue(a.searchFacesByImage(r -> r.collectionId(COLLECTION).image(image("obama2.jpg"))).faceMatches()
                .isEmpty(), "A still finds the face B deleted");
        assertEquals(List.of(biden), a.deleteFaces(r -> r.collectionId(COLLECTION).faceIds(biden)).deletedFaces());
        assertEquals(Set.of(), faceIds(b));
        assertEquals(0L, b.describeCollection(r -> r.collectionId(COLLECTION)).faceCount());
    }

    @Test
    @Order(2)
    void aCollectionDeletedOnOneIsGoneOnTheOtherAndCreatedAgainIsNew() {
        a.indexFaces(r -> r.collectionId(COLLECTION).image(image("obama.jpg")));
        assertEquals(1, faceIds(b).size());
        a.deleteCollection(r -> r.collectionId(COLLECTION));
        assertThrows(ResourceNotFoundException.class, () -> b.describeCollection(r -> r.collectionId(COLLECTION)));
        assertThrows(ResourceNotFoundException.class, () -> b.indexFaces(r -> r.collectionId(COLLECTION)
                .image(image("biden_portrait.jpg"))));
        b.createCollection(r -> r.collectionId(COLLECTION));
        assertEquals(Set.of(), faceIds(a), "A must not answer from its cache of the deleted collection");
        assertEquals(0L, a.describeCollection(r -> r.collectionId(COLLECTION)).faceCount());
    }

    @Test
    @Order(3)
    void bothIndexingIntoOneCollectionAtOnceLoseNoFace() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> calls = new ArrayList<>();
        String[] images = {"obama.jpg", "biden_portrait.jpg", "obama2.jpg", "two_people.jpg"};
        for (int t = 0; t < 4; t++) {
            RekognitionClient client = t % 2 == 0 ? a : b;
            String file = images[t];
            calls.add(pool.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    for (FaceRecord r : client.indexFaces(q -> q.collectionId(COLLECTION).image(image(file)))
                            .faceRecords()) {
                        ids.add(r.face().faceId());
                    }
                }
                return ids;
            }));
        }
        Set<String> indexed = new HashSet<>();
        for (Future<List<String>> call : calls) {
            indexed.addAll(call.get());
        }
        pool.shutdown();
        assertTrue(indexed.size() >= 12, "indexed " + indexed.size());
        assertEquals(indexed, faceIds(a));
        assertEquals(indexed, faceIds(b));
        assertEquals((long) indexed.size(), b.describeCollection(r -> r.collectionId(COLLECTION)).faceCount());
    }

    @Test
    @Order(4)
    void anEngineStartedAfterwardsAnswersFromTheTables() throws Exception {
        Set<String> before = faceIds(a);
        // One engine less first: three at once are more than this machine's memory is for.
        engineA.close();
        try (EngineProcess late = engine("late"); RekognitionClient c = client(late)) {
            assertEquals(before, faceIds(c));
            var found = c.searchFacesByImage(r -> r.collectionId(COLLECTION).image(image("obama2.jpg")));
            Face best = found.faceMatches().get(0).face();
            assertTrue(before.contains(best.faceId()));
            assertEquals((long) before.size(), c.describeCollection(r -> r.collectionId(COLLECTION)).faceCount());
            c.deleteCollection(r -> r.collectionId(COLLECTION));
        }
        assertThrows(ResourceNotFoundException.class, () -> b.listFaces(r -> r.collectionId(COLLECTION)));
    }
}
