package io.imagerec.rekognition.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.rekognition.model.FaceMatch;
import software.amazon.awssdk.services.rekognition.model.FaceRecord;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.IndexFacesResponse;
import software.amazon.awssdk.services.rekognition.model.QualityFilter;
import software.amazon.awssdk.services.rekognition.model.SearchFacesByImageResponse;

/**
 * Identity on every face of ../shared/testdata through the real SDK client: each image's faces go into
 * one collection with IndexFaces, and SearchFaces scores every face against every other. Same-person
 * pairs (Obama and Biden across photos, from the manifest notes) must score at or above Rekognition's
 * default bar of 80 and every other pair below it, on the checking half of the pairs (the similarity
 * curve was fitted on the tuning half).
 */
@QuarkusTest
class FaceIdentityOnSampleImagesTest extends SdkClientTest {

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    /** One indexed face: its pair name (manifest path # index in the engine's order) and who it is. */
    private record Indexed(String name, String person, String faceId) {
    }

    private record Pair(String name, boolean same, float similarity) {
    }

    @Test
    void samePersonPairsMatchAndDifferentPeopleDoNotOnTheCheckingHalf() throws IOException {
        Path testdata = TestImages.testdata();
        JsonNode manifest = new ObjectMapper().readTree(testdata.resolve("manifest.json").toFile());
        String collection = "identity-" + RUN;
        rekognition.createCollection(r -> r.collectionId(collection));
        try {
            List<Indexed> faces = new ArrayList<>();
            for (JsonNode entry : manifest) {
                String file = entry.path("file").asText();
                if (entry.path("faces").asInt() == 0) {
                    continue;
                }
                Image image = DetectFacesOnSampleImagesTest.image(testdata.resolve(file));
                IndexFacesResponse indexed = rekognition.indexFaces(r -> r.collectionId(collection).image(image)
                        .externalImageId(file.replace('/', ':')).maxFaces(100).qualityFilter(QualityFilter.NONE));
                List<FaceRecord> records = indexed.faceRecords();
                assertEquals(0, indexed.unindexedFaces().size(), file);
                assertEquals("7.0", indexed.faceModelVersion());
                List<FaceRecord> byX = new ArrayList<>(records);
                byX.sort(Comparator.comparing(f -> f.face().boundingBox().left()));
                for (int i = 0; i < records.size(); i++) {
                    FaceRecord f = records.get(i);
                    float width = f.face().boundingBox().width() * entry.path("width").asInt();
                    FaceModelsOnSamples.Known k = FaceModelsOnSamples.known(file, byX.indexOf(f), width);
                    faces.add(new Indexed(file + "#" + i, k.person() == null ? file + "#" + i : k.person(),
                            f.face().faceId()));
                }
            }
            assertTrue(faces.size() >= 21, "the manifest's 21 faces: " + faces.size());

            Map<String, Indexed> byId = new HashMap<>();
            faces.forEach(f -> byId.put(f.faceId, f));
            Map<String, Pair> pairs = new HashMap<>();
            for (Indexed a : faces) {
                List<FaceMatch> matches = rekognition.searchFaces(r -> r.collectionId(collection).faceId(a.faceId)
                        .faceMatchThreshold(0f).maxFaces(4096)).faceMatches();
                assertEquals(faces.size() - 1, matches.size(), "every other face, scored");
                for (FaceMatch m : matches) {
                    Indexed b = byId.get(m.face().faceId());
                    String name = a.name.compareTo(b.name) < 0 ? a.name + "|" + b.name : b.name + "|" + a.name;
                    pairs.putIfAbsent(name, new Pair(name, a.person.equals(b.person), m.similarity()));
                }
            }
            List<String> same = pairs.values().stream().filter(Pair::same).map(Pair::name).toList();
            List<String> different = pairs.values().stream().filter(p -> !p.same).map(Pair::name).toList();
            assertEquals(12, same.size(), "Obama in 4 faces and Biden in 4: 6 pairs each");

            List<String> wrong = new ArrayList<>();
            for (String half : List.of("tuning", "checking")) {
                float minSame = 100;
                float maxDifferent = 0;
                for (Pair p : pairs.values()) {
                    boolean checking = TestImages.inCheckingHalf(p.name, p.same ? same : different);
                    if (checking != half.equals("checking")) {
                        continue;
                    }
                    if (p.same) {
                        minSame = Math.min(minSame, p.similarity);
                    } else {
                        maxDifferent = Math.max(maxDifferent, p.similarity);
                    }
                    if (checking && p.same != p.similarity >= 80f) {
                        wrong.add(p.name + " " + p.similarity);
                    }
                }
                System.out.printf(Locale.ROOT, "Identity, %s half: lowest same-person similarity %.2f, highest"
                        + " different-person %.2f%n", half, minSame, maxDifferent);
            }
            assertEquals(List.of(), wrong, "checking-half pairs on the wrong side of 80");
        } finally {
            rekognition.deleteCollection(r -> r.collectionId(collection));
        }
    }

    @Test
    void searchFacesByImageFindsTheSamePersonAmongTheGroupAndNoStranger() throws IOException {
        Path faces = TestImages.testdata().resolve("faces");
        String collection = "by-image-" + RUN;
        rekognition.createCollection(r -> r.collectionId(collection));
        try {
            for (String file : List.of("obama_and_biden.jpg", "group_2008_002470.jpg", "three_people_2008_001322.jpg")) {
                Image image = DetectFacesOnSampleImagesTest.image(faces.resolve(file));
                rekognition.indexFaces(r -> r.collectionId(collection).image(image).externalImageId(file)
                        .maxFaces(100).qualityFilter(QualityFilter.NONE));
            }
            for (String file : List.of("obama2.jpg", "biden_portrait.jpg")) {
                Image image = DetectFacesOnSampleImagesTest.image(faces.resolve(file));
                SearchFacesByImageResponse found = rekognition.searchFacesByImage(r -> r.collectionId(collection)
                        .image(image));
                assertEquals(1, found.faceMatches().size(), file + " matches exactly one face: " + found.faceMatches());
                assertEquals("obama_and_biden.jpg", found.faceMatches().get(0).face().externalImageId());
                // Biden stands on the left of obama_and_biden.jpg, Obama on the right.
                float left = found.faceMatches().get(0).face().boundingBox().left();
                assertTrue(file.startsWith("obama") ? left > 0.4f : left < 0.4f, file + " matched the face at " + left);
                assertEquals("7.0", found.faceModelVersion());
            }
        } finally {
            rekognition.deleteCollection(r -> r.collectionId(collection));
        }
    }
}
