package io.imagerec.rekognition.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.model.Attribute;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;
import software.amazon.awssdk.services.rekognition.model.DetectFacesResponse;
import software.amazon.awssdk.services.rekognition.model.EmotionName;
import software.amazon.awssdk.services.rekognition.model.FaceDetail;
import software.amazon.awssdk.services.rekognition.model.GenderType;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.Landmark;
import software.amazon.awssdk.services.rekognition.model.LandmarkType;

/**
 * DetectFaces through the real AWS SDK client on the photos of ../shared/testdata, against the face
 * counts written down by eye in its manifest.
 */
@QuarkusTest
class DetectFacesOnSampleImagesTest extends SdkClientTest {

    static Image image(Path file) throws IOException {
        return Image.builder().bytes(SdkBytes.fromByteArray(Files.readAllBytes(file))).build();
    }

    private static DetectFacesResponse detect(Path file, Attribute... attributes) throws IOException {
        Image image = image(file);
        return rekognition.detectFaces(r -> r.image(image).attributes(attributes));
    }

    @Test
    void findsEveryFaceOfTheManifestAndNoneWhereThereIsNone() throws IOException {
        Path testdata = TestImages.testdata();
        JsonNode manifest = new ObjectMapper().readTree(testdata.resolve("manifest.json").toFile());
        int listed = 0;
        int found = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            if (!entry.has("faces") || file.startsWith("bad/")) {
                continue;
            }
            int faces = entry.path("faces").asInt();
            int max = entry.path("faces_max").asInt(faces);
            int n = detect(testdata.resolve(file)).faceDetails().size();
            listed += faces;
            found += Math.min(n, faces);
            if (n < faces || n > max) {
                wrong.add(file + ": " + n + " faces, manifest " + faces + (max != faces ? "-" + max : ""));
            }
        }
        System.out.printf("DetectFaces: %d of %d manifest faces found; wrong counts: %s%n", found, listed, wrong);
        assertTrue(listed >= 20, "the manifest lists too few faces to judge: " + listed);
        assertEquals(List.of(), wrong);
    }

    @Test
    void defaultAttributesAreBoxLandmarksPoseQualityAndConfidence() throws IOException {
        Path obama = TestImages.testdata().resolve("faces/obama.jpg");
        FaceDetail face = detect(obama).faceDetails().get(0);
        BoundingBox box = face.boundingBox();
        // The manifest: frontal, face about 300 px wide in a 910 px wide photo.
        assertTrue(box.width() > 0.22f && box.width() < 0.45f, "box width " + box.width());
        assertTrue(face.confidence() > 90f, "confidence " + face.confidence());
        assertEquals(30, face.landmarks().size());
        Map<LandmarkType, Landmark> marks = face.landmarks().stream()
                .collect(Collectors.toMap(Landmark::type, l -> l));
        Landmark eyeLeft = marks.get(LandmarkType.EYE_LEFT);
        Landmark eyeRight = marks.get(LandmarkType.EYE_RIGHT);
        Landmark nose = marks.get(LandmarkType.NOSE);
        Landmark chin = marks.get(LandmarkType.CHIN_BOTTOM);
        assertTrue(eyeLeft.x() < nose.x() && nose.x() < eyeRight.x(), "eyeLeft is the viewer's left");
        assertTrue(eyeLeft.y() < nose.y() && nose.y() < chin.y(), "eyes above the nose above the chin");
        for (Landmark l : List.of(eyeLeft, eyeRight, nose)) {
            assertTrue(l.x() > box.left() && l.x() < box.left() + box.width()
                    && l.y() > box.top() && l.y() < box.top() + box.height(), l + " outside " + box);
        }
        assertTrue(Math.abs(face.pose().yaw()) < 20 && Math.abs(face.pose().roll()) < 15, "frontal: " + face.pose());
        assertTrue(face.quality().brightness() > 20 && face.quality().sharpness() > 10, face.quality().toString());
        assertNull(face.ageRange(), "AgeRange only with Attributes ALL");
        assertFalse(face.hasEmotions(), "Emotions only with Attributes ALL");
    }

    @Test
    void allAttributesDescribeTheFace() throws IOException {
        Path faces = TestImages.testdata().resolve("faces");
        FaceDetail smiling = detect(faces.resolve("obama.jpg"), Attribute.ALL).faceDetails().get(0);
        assertTrue(smiling.smile().value(), "obama.jpg smiles: " + smiling.smile());
        assertEquals(EmotionName.HAPPY, smiling.emotions().get(0).type());
        assertEquals(GenderType.MALE, smiling.gender().value());
        assertTrue(smiling.eyesOpen().value());
        assertTrue(smiling.ageRange().low() < smiling.ageRange().high());
        Set<EmotionName> types = smiling.emotions().stream().map(e -> e.type()).collect(Collectors.toSet());
        assertEquals(7, types.size(), "every emotion the model knows, CONFUSED left out: " + types);
        assertFalse(types.contains(EmotionName.UNKNOWN_TO_SDK_VERSION));

        FaceDetail speaking = detect(faces.resolve("obama2.jpg"), Attribute.ALL).faceDetails().get(0);
        assertTrue(speaking.mouthOpen().value(), "obama2.jpg speaks with the mouth open");

        for (String file : List.of("obama2.jpg", "biden_portrait.jpg", "biden_standing.jpg", "two_people.jpg")) {
            for (FaceDetail f : detect(faces.resolve(file), Attribute.ALL).faceDetails()) {
                assertTrue(f.eyesOpen().value(), file + ": eyes are open, " + f.eyesOpen());
            }
        }

        FaceDetail biden = detect(faces.resolve("biden_standing.jpg"), Attribute.ALL).faceDetails().get(0);
        assertTrue(biden.ageRange().high() >= 60, "Biden was 67 here: " + biden.ageRange());
        // FaceRes' mean age +/- its measured error of 8 years: 16 or 17 years wide, not 25-35.
        for (FaceDetail f : List.of(smiling, speaking, biden)) {
            int width = f.ageRange().high() - f.ageRange().low();
            assertTrue(width >= 16 && width <= 17, "age range " + f.ageRange());
        }
        assertEquals(GenderType.MALE, biden.gender().value());
    }

    @Test
    void aPictureWithoutFacesHasNoneAndABrokenOneIsRefused() {
        byte[] flat = TestImages.encode(TestImages.twoColors(400, 300, Color.BLUE, Color.ORANGE), "png");
        DetectFacesResponse none = rekognition.detectFaces(r -> r.image(Image.builder()
                .bytes(SdkBytes.fromByteArray(flat)).build()).attributes(Attribute.ALL));
        assertEquals(List.of(), none.faceDetails());
        assertThrows(InvalidImageFormatException.class, () -> rekognition.detectFaces(r -> r.image(Image.builder()
                .bytes(SdkBytes.fromByteArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).build())));
    }
}
