package io.imagerec.rekognition.collections;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The face-collection operations of {@link FaceCollectionsApiTest} on the file store, the default of the
 * standalone engine and its image (the other tests run on the PostgreSQL store).
 */
@QuarkusTest
@TestProfile(FaceCollectionsOnFilesTest.FileStore.class)
class FaceCollectionsOnFilesTest extends FaceCollectionsApiTest {

    public static class FileStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rekognition.collections.store", "file");
        }
    }
}
