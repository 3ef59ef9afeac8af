package io.imagerec.rekognition.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.model.Face;
import software.amazon.awssdk.services.rekognition.model.FaceMatch;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.IndexFacesResponse;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.ListFacesResponse;
import software.amazon.awssdk.services.rekognition.model.Reason;
import software.amazon.awssdk.services.rekognition.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;
import software.amazon.awssdk.services.rekognition.model.SearchFacesByImageResponse;

/** The face-collection operations, one after another as a client uses them, through the real SDK client. */
@QuarkusTest
class FaceCollectionsApiTest extends SdkClientTest {

    /** Collections outlive the test engine (target/test-collections); unique ids keep runs apart. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private static Image image(Path file) throws IOException {
        return Image.builder().bytes(SdkBytes.fromByteArray(Files.readAllBytes(file))).build();
    }

    @Test
    void createListDescribeAndDeleteCollections() {
        String a = "life-a-" + RUN;
        String b = "life-b-" + RUN;
        rekognition.createCollection(r -> r.collectionId(a));
        rekognition.createCollection(r -> r.collectionId(b));
        assertThrows(ResourceAlreadyExistsException.class, () -> rekognition.createCollection(r -> r.collectionId(a)));
        assertThrows(InvalidParameterException.class, () -> rekognition.createCollection(r -> r.collectionId("no/slash")));

        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            var page = rekognition.listCollections(r -> r.maxResults(1).nextToken(t));
            assertTrue(page.collectionIds().size() <= 1);
            ids.addAll(page.collectionIds());
            token = page.nextToken();
        } while (token != null);
        assertTrue(ids.containsAll(List.of(a, b)), ids.toString());

        var described = rekognition.describeCollection(r -> r.collectionId(a));
        assertEquals(0L, described.faceCount());
        assertEquals("7.0", described.faceModelVersion(), "new collections hold ArcFace vectors");
        assertTrue(described.collectionARN().endsWith(":collection/" + a));
        assertNotNull(described.creationTimestamp());

        assertEquals(200, rekognition.deleteCollection(r -> r.collectionId(a)).statusCode());
        assertThrows(ResourceNotFoundException.class, () -> rekognition.describeCollection(r -> r.collectionId(a)));
        assertThrows(ResourceNotFoundException.class, () -> rekognition.deleteCollection(r -> r.collectionId(a)));
        rekognition.deleteCollection(r -> r.collectionId(b));
    }

    @Test
    void indexSearchListAndDeleteFaces() throws IOException {
        Path faces = TestImages.testdata().resolve("faces");
        String collection = "people-" + RUN;
        rekognition.createCollection(r -> r.collectionId(collection));
        try {
            Image obama = image(faces.resolve("obama.jpg"));
            Image biden = image(faces.resolve("biden_portrait.jpg"));
            Image both = image(faces.resolve("two_people.jpg"));
            IndexFacesResponse o = rekognition.indexFaces(r -> r.collectionId(collection).image(obama).externalImageId("obama"));
            assertEquals(1, o.faceRecords().size());
            assertEquals("obama", o.faceRecords().get(0).face().externalImageId());
            rekognition.indexFaces(r -> r.collectionId(collection).image(biden).externalImageId("biden"));
            IndexFacesResponse pair = rekognition.indexFaces(r -> r.collectionId(collection).image(both)
                    .externalImageId("pair").maxFaces(1));
            assertEquals(1, pair.faceRecords().size());
            assertEquals(1, pair.unindexedFaces().size());
            assertEquals(List.of(Reason.EXCEEDS_MAX_FACES), pair.unindexedFaces().get(0).reasons());
            assertEquals(3L, rekognition.describeCollection(r -> r.collectionId(collection)).faceCount());

            // Another photo of Obama finds the indexed one first.
            Image obama2 = image(faces.resolve("obama2.jpg"));
            SearchFacesByImageResponse found = rekognition.searchFacesByImage(r -> r.collectionId(collection)
                    .image(obama2).maxFaces(5));
            assertTrue(found.faceMatches().size() >= 1, "no match for obama2.jpg");
            FaceMatch best = found.faceMatches().get(0);
            assertEquals("obama", best.face().externalImageId());
            assertTrue(best.similarity() >= 80f, "similarity " + best.similarity());
            assertTrue(found.faceMatches().stream().noneMatch(m -> "biden".equals(m.face().externalImageId())),
                    "Biden must not match Obama at the default threshold: " + found.faceMatches());

            String obamaId = o.faceRecords().get(0).face().faceId();
            var byId = rekognition.searchFaces(r -> r.collectionId(collection).faceId(obamaId).faceMatchThreshold(0f));
            assertEquals(obamaId, byId.searchedFaceId());
            assertTrue(byId.faceMatches().stream().noneMatch(m -> m.face().faceId().equals(obamaId)), "not itself");
            assertEquals(2, byId.faceMatches().size());

            ListFacesResponse first = rekognition.listFaces(r -> r.collectionId(collection).maxResults(2));
            assertEquals(2, first.faces().size());
            assertNotNull(first.nextToken());
            ListFacesResponse rest = rekognition.listFaces(r -> r.collectionId(collection).nextToken(first.nextToken()));
            assertEquals(1, rest.faces().size());
            assertNull(rest.nextToken());

            var deleted = rekognition.deleteFaces(r -> r.collectionId(collection)
                    .faceIds(obamaId, "00000000-0000-0000-0000-000000000000"));
            assertEquals(List.of(obamaId), deleted.deletedFaces());
            assertEquals(1, deleted.unsuccessfulFaceDeletions().size());
            List<String> left = rekognition.listFaces(r -> r.collectionId(collection)).faces().stream()
                    .map(Face::faceId).toList();
            assertEquals(2, left.size());
            assertTrue(!left.contains(obamaId));
            assertThrows(InvalidParameterException.class,
                    () -> rekognition.searchFaces(r -> r.collectionId(collection).faceId(obamaId)));
        } finally {
            rekognition.deleteCollection(r -> r.collectionId(collection));
        }
        assertThrows(ResourceNotFoundException.class, () -> rekognition.listFaces(r -> r.collectionId(collection)));
    }
}
