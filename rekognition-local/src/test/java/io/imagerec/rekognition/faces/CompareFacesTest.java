package io.imagerec.rekognition.faces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.model.CompareFacesResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;

/** CompareFaces through the real SDK client on the same-person and different-person photos of ../shared/testdata. */
@QuarkusTest
class CompareFacesTest extends SdkClientTest {

    private static CompareFacesResponse compare(Path source, Path target) throws IOException {
        Image s = DetectFacesOnSampleImagesTest.image(source);
        Image t = DetectFacesOnSampleImagesTest.image(target);
        return rekognition.compareFaces(r -> r.sourceImage(s).targetImage(t).similarityThreshold(0f));
    }

    @Test
    void samePersonScoresAboveTheDefaultThresholdAndDifferentPeopleBelow() throws IOException {
        Path faces = TestImages.testdata().resolve("faces");
        List<String> obama = List.of("obama.jpg", "obama2.jpg");
        List<String> biden = List.of("biden_portrait.jpg", "biden_standing.jpg");
        List<String> report = new ArrayList<>();
        float lowestSame = 100;
        float highestDifferent = 0;
        for (List<String> person : List.of(obama, biden)) {
            float s = compare(faces.resolve(person.get(0)), faces.resolve(person.get(1)))
                    .faceMatches().get(0).similarity();
            report.add(person + " " + s);
            lowestSame = Math.min(lowestSame, s);
        }
        for (String o : obama) {
            for (String b : biden) {
                float s = compare(faces.resolve(o), faces.resolve(b)).faceMatches().get(0).similarity();
                report.add(o + "/" + b + " " + s);
                highestDifferent = Math.max(highestDifferent, s);
            }
        }
        System.out.println("CompareFaces similarities: " + report);
        assertTrue(lowestSame >= 80f, "same person below Rekognition's default threshold 80: " + report);
        assertTrue(highestDifferent < 80f, "different people at or above 80: " + report);
    }

    @Test
    void findsThePersonAmongTheFacesOfTheTarget() throws IOException {
        Path faces = TestImages.testdata().resolve("faces");
        Image source = DetectFacesOnSampleImagesTest.image(faces.resolve("obama2.jpg"));
        Image target = DetectFacesOnSampleImagesTest.image(faces.resolve("two_people.jpg"));
        CompareFacesResponse r = rekognition.compareFaces(b -> b.sourceImage(source).targetImage(target));
        assertEquals(1, r.faceMatches().size(), "Obama is one of the two");
        assertEquals(1, r.unmatchedFaces().size(), "Biden is the other");
        // Obama stands on the left of two_people.jpg.
        assertTrue(r.faceMatches().get(0).face().boundingBox().left() < 0.5f);
        assertTrue(r.sourceImageFace().confidence() > 90f);
        assertEquals(5, r.faceMatches().get(0).face().landmarks().size());
    }

    @Test
    void aSourceWithoutAFaceIsAnInvalidParameter() throws IOException {
        byte[] flat = TestImages.encode(TestImages.twoColors(200, 200, Color.GREEN, Color.GRAY), "png");
        Image target = DetectFacesOnSampleImagesTest.image(TestImages.testdata().resolve("faces/obama.jpg"));
        assertThrows(InvalidParameterException.class, () -> rekognition.compareFaces(r -> r
                .sourceImage(Image.builder().bytes(SdkBytes.fromByteArray(flat)).build()).targetImage(target)));
    }
}
