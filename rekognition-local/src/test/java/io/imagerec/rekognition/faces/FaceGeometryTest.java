package io.imagerec.rekognition.faces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.shape.FaceDetail;

/** The plain arithmetic around the face models: windows, similarity calibration, age ranges, anchors. */
class FaceGeometryTest {

    @Test
    void aTurnedWindowSamplesWhatItMapsBackTo() {
        // A white image with one red square at (60..80, 20..40).
        BufferedImage image = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 100, 100);
        g.setColor(Color.RED);
        g.fillRect(60, 20, 20, 20);
        g.dispose();
        // A 40-px window centred on (50, 50) turned a quarter turn clockwise.
        FaceCrop window = new FaceCrop(50, 50, 40, (float) (Math.PI / 2));
        float[] corner = window.toImage(0, 0, 8);
        assertArrayEquals(new float[] {70, 30}, corner, 1e-3f, "the window's top left lands on the image's top right");
        float[] rgb = window.sampleRgb(image, 8);
        // Input pixel (1, 1) looks at image point about (65, 35): inside the red square.
        int o = (1 * 8 + 1) * 3;
        assertEquals(1f, rgb[o], 0.01f);
        assertEquals(0f, rgb[o + 1], 0.01f);
        // Input pixel (6, 6) looks at about (35, 65): white.
        o = (6 * 8 + 6) * 3;
        assertEquals(1f, rgb[o + 1], 0.01f);
    }

    @Test
    void similarityIsEightyAtTheMatchCosineAndThresholdsInvertExactly() {
        for (FaceSimilarity curve : new FaceSimilarity[] {FaceSimilarity.FACERES, FaceSimilarity.ARCFACE}) {
            assertEquals(80f, curve.fromCosine(curve.matchCosine()), 0.01f);
            assertTrue(curve.fromCosine(curve.matchCosine() - 0.25) < 1f, "unrelated faces score near 0");
            assertTrue(curve.fromCosine(curve.matchCosine() + 0.25) > 99.9f);
            for (float threshold : new float[] {1f, 50f, 80f, 99f}) {
                assertEquals(threshold, curve.fromCosine(curve.cosineFor(threshold)), 0.01f);
            }
            assertEquals(-1.0, curve.cosineFor(0f));
        }
    }

    @Test
    void ageRangeIsTheMeanAgeGivenOrTakenTheMeasuredError() {
        float[] sharp = new float[100];
        sharp[40] = 1f;
        FaceDetail.AgeRange narrow = FaceAnalyzer.ageRange(sharp);
        assertEquals(32, narrow.low());
        assertEquals(48, narrow.high());
        float[] flat = new float[100];
        for (int i = 20; i < 60; i++) {
            flat[i] = 1f / 40;
        }
        // Mean 39.5: rounded outward, 31.5 -> 31 and 47.5 -> 48.
        FaceDetail.AgeRange wide = FaceAnalyzer.ageRange(flat);
        assertEquals(31, wide.low());
        assertEquals(48, wide.high());
        float[] baby = new float[100];
        baby[2] = 1f;
        assertEquals(0, FaceAnalyzer.ageRange(baby).low(), "never below 0");
    }

    @Test
    void blazeFaceHas896AnchorsInOutputOrder() {
        float[][] anchors = BlazeFaceDetector.anchors();
        assertEquals(896, anchors.length);
        assertArrayEquals(new float[] {8, 8}, anchors[0]);
        assertArrayEquals(new float[] {8, 8}, anchors[1]);
        assertArrayEquals(new float[] {24, 8}, anchors[2]);
        assertArrayEquals(new float[] {16, 16}, anchors[512]);
        assertArrayEquals(new float[] {240, 240}, anchors[895]);
    }
}
