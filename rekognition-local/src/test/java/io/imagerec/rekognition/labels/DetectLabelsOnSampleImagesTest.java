package io.imagerec.rekognition.labels;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.Label;
import software.amazon.awssdk.services.rekognition.model.RekognitionException;

/**
 * DetectLabels on the real photos of ../shared/testdata against their hand-made ground truth,
 * through the real AWS SDK client. Skipped where the folder is not beside the clone.
 */
@QuarkusTest
class DetectLabelsOnSampleImagesTest extends SdkClientTest {

    private static DetectLabelsResponse detect(Path file, float minConfidence) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return rekognition.detectLabels(r -> r.image(Image.builder().bytes(SdkBytes.fromByteArray(bytes)).build())
                .minConfidence(minConfidence));
    }

    /**
     * Recall of the manifest's present labels at MinConfidence 50 with none of its absent labels.
     * With the quadrant tiles (the default) 39 of 42 are found (37 from the whole-image pass alone);
     * the score calibration was not re-fitted, and the checking half's figures are printed apart.
     */
    @Test
    void findsWhatIsThereAndNothingThatIsNot() throws IOException {
        Path testdata = TestImages.testdata();
        JsonNode manifest = new ObjectMapper().readTree(testdata.resolve("manifest.json").toFile());
        List<String> files = new ArrayList<>();
        manifest.forEach(e -> files.add(e.path("file").asText()));
        int present = 0;
        int found = 0;
        int checkingPresent = 0;
        int checkingFound = 0;
        List<String> missed = new ArrayList<>();
        List<String> falseReports = new ArrayList<>();
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            boolean checking = TestImages.inCheckingHalf(file, files);
            DetectLabelsResponse response = detect(testdata.resolve(file), 50f);
            Set<String> names = response.labels().stream().map(Label::name).collect(Collectors.toSet());
            for (JsonNode label : entry.path("labels_present")) {
                present++;
                checkingPresent += checking ? 1 : 0;
                if (names.contains(label.asText())) {
                    found++;
                    checkingFound += checking ? 1 : 0;
                } else {
                    missed.add(file + ":" + label.asText());
                }
            }
            for (JsonNode label : entry.path("labels_absent")) {
                if (names.contains(label.asText())) {
                    falseReports.add(file + ":" + label.asText());
                }
            }
        }
        System.out.printf("DetectLabels at MinConfidence 50: %d of %d present labels found (%.1f%%); checking half "
                + "%d of %d; missed %s; absent labels reported %s%n", found, present, 100.0 * found / present,
                checkingFound, checkingPresent, missed, falseReports);
        assertTrue(present > 0, "the manifest lists no labels");
        assertTrue(found >= 39, "found " + found + " of " + present + "; missed " + missed);
        assertEquals(List.of(), falseReports, "labels reported that the ground truth says are absent");
    }

    @Test
    void labelsAreShapedAsRekognitionShapesThem() throws IOException {
        DetectLabelsResponse response = detect(TestImages.testdata().resolve("objects/dog.jpg"), 55f);
        Label dog = response.labels().stream().filter(l -> l.name().equals("Dog")).findFirst().orElseThrow();
        assertTrue(dog.confidence() >= 55f && dog.confidence() <= 100f);
        assertFalse(dog.instances().isEmpty());
        var box = dog.instances().get(0).boundingBox();
        // The dog sits in the lower left of dog.jpg.
        assertTrue(box.left() >= 0 && box.left() < 0.4 && box.top() > 0.2 && box.width() > 0.1 && box.height() > 0.2,
                box.toString());
        assertTrue(box.left() + box.width() <= 1.0001 && box.top() + box.height() <= 1.0001);
        assertEquals(List.of("Canine", "Mammal", "Pet", "Animal"), dog.parents().stream().map(p -> p.name()).toList());
        assertEquals("Animals and Pets", dog.categories().get(0).name());
        // Parent labels are labels too, as confident as their child.
        Label animal = response.labels().stream().filter(l -> l.name().equals("Animal")).findFirst().orElseThrow();
        assertEquals(dog.confidence(), animal.confidence(), 0.001);
        assertTrue(animal.instances().isEmpty());
        // Sorted by confidence, most confident first.
        for (int i = 1; i < response.labels().size(); i++) {
            assertTrue(response.labels().get(i - 1).confidence() >= response.labels().get(i).confidence());
        }
    }

    @Test
    void maxLabelsAndFiltersApply() throws IOException {
        byte[] bytes = Files.readAllBytes(TestImages.testdata().resolve("objects/dog.jpg"));
        Image image = Image.builder().bytes(SdkBytes.fromByteArray(bytes)).build();
        assertEquals(2, rekognition.detectLabels(r -> r.image(image).maxLabels(2)).labels().size());
        DetectLabelsResponse onlyAnimals = rekognition.detectLabels(r -> r.image(image)
                .settings(s -> s.generalLabels(g -> g.labelCategoryInclusionFilters("Animals and Pets"))));
        assertFalse(onlyAnimals.labels().isEmpty());
        onlyAnimals.labels().forEach(l -> assertEquals("Animals and Pets", l.categories().get(0).name()));
        DetectLabelsResponse noDogs = rekognition.detectLabels(r -> r.image(image)
                .settings(s -> s.generalLabels(g -> g.labelExclusionFilters("Dog"))));
        assertTrue(noDogs.labels().stream().noneMatch(l -> l.name().equals("Dog")));
        assertTrue(noDogs.labels().stream().anyMatch(l -> l.name().equals("Bicycle")));
    }

    @Test
    void sceneLabelsFollowFromWhatIsSeen() throws IOException {
        Set<String> names = detect(TestImages.testdata().resolve("objects/kite.jpg"), 55f).labels().stream()
                .map(Label::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("Person", "People", "Kite", "Toy")), names.toString());
    }

    @Test
    void brokenFilesGetTheRightErrorAndTheEngineStaysHealthy() {
        Path bad = TestImages.testdata().resolve("bad");
        assertErrorType(InvalidImageFormatException.class, bad.resolve("not_an_image.jpg"));
        assertErrorType(InvalidImageFormatException.class, bad.resolve("truncated_zidane.jpg"));
        assertErrorType(InvalidParameterException.class, bad.resolve("one_pixel.png"));
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static void assertErrorType(Class<? extends RekognitionException> expected, Path file) {
        RekognitionException e = assertThrows(RekognitionException.class, () -> detect(file, 55f));
        assertEquals(expected, e.getClass(), file + ": " + e.getMessage());
        assertEquals(400, e.statusCode());
    }

}
