package io.imagerec.rekognition.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsRequest;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.Label;

/**
 * Labels derived from the face and text models and from person-equipment geometry, through the real
 * AWS SDK client on the real sample images and on generated ones.
 */
@QuarkusTest
class DerivedLabelsOnSampleImagesTest extends SdkClientTest {

    private static final Set<String> ACTIVITIES = Set.of("Skiing", "Snowboarding", "Skateboarding", "Surfing", "Tennis",
            "Baseball", "Cycling", "Horseback Riding");

    private static Image sample(String file) throws IOException {
        return Image.builder().bytes(SdkBytes.fromByteArray(Files.readAllBytes(TestImages.testdata().resolve(file))))
                .build();
    }

    private static DetectLabelsResponse detect(Image image, Consumer<DetectLabelsRequest.Builder> more) {
        return rekognition.detectLabels(r -> {
            r.image(image).minConfidence(55f);
            more.accept(r);
        });
    }

    private static Map<String, Label> labels(String file) throws IOException {
        return byName(detect(sample(file), r -> { }));
    }

    private static Map<String, Label> byName(DetectLabelsResponse response) {
        return response.labels().stream().collect(Collectors.toMap(Label::name, l -> l));
    }

    @Test
    void faceWithItsBoxesHeadAndPersonWhereTheFaceModelsConfirmAFace() throws IOException {
        Map<String, Label> zidane = labels("objects/zidane.jpg");
        Label face = zidane.get("Face");
        assertTrue(face != null, zidane.keySet().toString());
        assertEquals(2, face.instances().size(), "zidane.jpg has two faces");
        assertEquals(List.of("Head", "Person"), face.parents().stream().map(p -> p.name()).toList());
        assertEquals("Person Description", face.categories().get(0).name());
        // Both faces are in the upper half of the picture, the right one right of the middle.
        face.instances().forEach(i -> assertTrue(i.boundingBox().top() < 0.5f, i.toString()));
        assertTrue(face.instances().stream().anyMatch(i -> i.boundingBox().left() > 0.5f));
        assertTrue(zidane.containsKey("Head"));
        assertTrue(zidane.get("Head").instances().isEmpty());
        assertTrue(labels("faces/obama.jpg").containsKey("Face"));
        for (String file : List.of("objects/giraffe.jpg", "objects/eagle.jpg", "objects/dog.jpg", "objects/person.jpg")) {
            Map<String, Label> names = labels(file);
            assertFalse(names.containsKey("Face"), file + ": " + names.keySet());
            assertFalse(names.containsKey("Head"), file + ": " + names.keySet());
        }
    }

    /** Art from the content classifier's drawn classes (rekognition.labels.art, on in the tests): the painting only. */
    @Test
    void artOnThePaintingAndOnNoPhoto() throws IOException {
        Label art = labels("objects/scream.jpg").get("Art");
        assertTrue(art != null && art.confidence() >= 80, "Art on the Munch painting: " + art);
        assertEquals(List.of(), art.parents());
        assertEquals(List.of(), art.instances());
        JsonNode manifest = new ObjectMapper().readTree(TestImages.testdata().resolve("manifest.json").toFile());
        List<String> withArt = new ArrayList<>();
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            if (!file.equals("objects/scream.jpg") && labels(file).containsKey("Art")) {
                withArt.add(file);
            }
        }
        assertEquals(List.of(), withArt, "Art at 55 on a photo");
        // Excluded by name, the classifier's label is left out like any other.
        assertFalse(byName(detect(sample("objects/scream.jpg"), r -> r.settings(s -> s.generalLabels(
                g -> g.labelExclusionFilters("Art"))))).containsKey("Art"));
    }

    @Test
    void portraitWhereOneFaceFillsThePicture() throws IOException {
        for (String file : List.of("faces/biden_portrait.jpg", "faces/obama.jpg", "faces/obama2.jpg")) {
            Label portrait = labels(file).get("Portrait");
            assertTrue(portrait != null, file);
            assertEquals(List.of("Face", "Head", "Person", "Photography"),
                    portrait.parents().stream().map(p -> p.name()).toList());
        }
        for (String file : List.of("faces/group_2008_002470.jpg", "faces/two_people.jpg", "objects/bus.jpg",
                "faces/biden_standing.jpg", "objects/giraffe.jpg")) {
            assertFalse(labels(file).containsKey("Portrait"), file);
        }
    }

    @Test
    void textWhereTheTextDetectorFindsLines() throws IOException {
        for (String file : List.of("text/phototest.png", "text/eurotext.png", "text/scenetext05_no_parking.jpg",
                "text/scenetext02_sports_centre.jpg", "objects/bus.jpg")) {
            Label text = labels(file).get("Text");
            assertTrue(text != null, file);
            assertTrue(text.instances().isEmpty());
            assertEquals("Text and Documents", text.categories().get(0).name());
        }
        for (String file : List.of("objects/eagle.jpg", "objects/giraffe.jpg", "faces/obama.jpg", "objects/robin.jpg",
                "objects/horses.jpg")) {
            // horses.jpg: the detector is sure of a "line" on the horses; the recognizer cannot read it.
            assertFalse(labels(file).containsKey("Text"), file);
        }
    }

    @Test
    void textOnAGeneratedPageAndNotOnABlankOne() {
        BufferedImage page = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 640, 480);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 28));
        g.drawString("Quarterly report on the harbour", 30, 120);
        g.drawString("Shipments arrived on Tuesday", 30, 200);
        g.drawString("Invoice number 4471 is overdue", 30, 280);
        g.dispose();
        Image text = Image.builder().bytes(SdkBytes.fromByteArray(TestImages.encode(page, "png"))).build();
        assertTrue(byName(detect(text, r -> { })).containsKey("Text"));
        Image blank = Image.builder().bytes(SdkBytes.fromByteArray(TestImages.encode(
                TestImages.twoColors(640, 480, Color.WHITE, Color.WHITE), "png"))).build();
        assertFalse(byName(detect(blank, r -> { })).containsKey("Text"));
    }

    @Test
    void noActivityWithoutAPersonUsingTheEquipment() throws IOException {
        // A bicycle with no one on it, a person standing beside a horse, people under kites.
        for (String file : List.of("objects/dog.jpg", "objects/person.jpg", "objects/kite.jpg", "objects/horses.jpg")) {
            Set<String> names = labels(file).keySet();
            assertTrue(names.stream().noneMatch(ACTIVITIES::contains), file + ": " + names);
        }
    }

    @Test
    void derivedLabelsObeyFiltersMaxLabelsMinConfidenceAndFeatures() throws IOException {
        Image zidane = sample("objects/zidane.jpg");
        Map<String, Label> noFace = byName(detect(zidane, r -> r.settings(s -> s.generalLabels(
                g -> g.labelExclusionFilters("Face")))));
        assertFalse(noFace.containsKey("Face"));
        assertTrue(noFace.containsKey("Person"));
        Map<String, Label> onlyFace = byName(detect(zidane, r -> r.settings(s -> s.generalLabels(
                g -> g.labelInclusionFilters("Face")))));
        assertEquals(Set.of("Face"), onlyFace.keySet());
        Image page = sample("text/phototest.png");
        assertFalse(byName(detect(page, r -> r.settings(s -> s.generalLabels(
                g -> g.labelCategoryExclusionFilters("Text and Documents"))))).containsKey("Text"));
        assertEquals(Set.of("Text"), byName(detect(page, r -> r.settings(s -> s.generalLabels(
                g -> g.labelCategoryInclusionFilters("Text and Documents"))))).keySet());
        // The shouting three-quarter profile's face is confirmed at about 71, the other at 100: at
        // MinConfidence 90 only the second is an instance.
        assertEquals(1, byName(detect(zidane, r -> r.minConfidence(90f))).get("Face").instances().size());
        assertEquals(1, detect(zidane, r -> r.maxLabels(1)).labels().size());
        DetectLabelsResponse propertiesOnly = detect(zidane, r -> r.featuresWithStrings("IMAGE_PROPERTIES"));
        assertFalse(propertiesOnly.hasLabels());
        assertTrue(propertiesOnly.imageProperties() != null);
    }
}
