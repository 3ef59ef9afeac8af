package io.imagerec.rekognition.faces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

/** The similarity transform that lines a face's five points up with the ArcFace template. */
class FaceAlignmentTest {

    /** The template moved into image coordinates by a known scale, rotation and shift. */
    private static double[][] transformed(double scale, double degrees, double dx, double dy) {
        double c = scale * Math.cos(Math.toRadians(degrees));
        double s = scale * Math.sin(Math.toRadians(degrees));
        double[][] out = new double[5][];
        for (int i = 0; i < 5; i++) {
            double u = FaceAlignment.TEMPLATE[i][0] + 0.5;
            double v = FaceAlignment.TEMPLATE[i][1] + 0.5;
            out[i] = new double[] {c * u - s * v + dx, s * u + c * v + dy};
        }
        return out;
    }

    @Test
    void recoversAKnownScaleRotationAndShiftExactly() {
        double[][] points = transformed(2.5, 20, 300, 140);
        FaceAlignment a = FaceAlignment.of(points);
        assertEquals(2.5, a.scale(), 1e-9);
        assertEquals(Math.toRadians(20), Math.atan2(a.b(), a.a()), 1e-9);
        for (int i = 0; i < 5; i++) {
            double[] p = a.toImage(FaceAlignment.TEMPLATE[i][0] + 0.5, FaceAlignment.TEMPLATE[i][1] + 0.5);
            assertArrayEquals(points[i], p, 1e-9, "template point " + i + " lands on the face's point");
        }
    }

    @Test
    void theIdentityWhenTheFaceIsAlreadyOnTheTemplate() {
        FaceAlignment a = FaceAlignment.of(transformed(1, 0, 0, 0));
        assertEquals(1, a.a(), 1e-9);
        assertEquals(0, a.b(), 1e-9);
        assertEquals(0, a.tx(), 1e-9);
        assertEquals(0, a.ty(), 1e-9);
    }

    @Test
    void aNoisyFaceGetsTheLeastSquaresFitWithoutShear() {
        double[][] points = transformed(3, -10, 50, 60);
        points[3][0] += 4;
        points[4][1] -= 4;
        FaceAlignment a = FaceAlignment.of(points);
        // Close to the true transform; a similarity has no shear by construction (a, b only).
        assertEquals(3, a.scale(), 0.1);
        assertEquals(Math.toRadians(-10), Math.atan2(a.b(), a.a()), 0.03);
    }

    @Test
    void coincidingPointsAreRefused() {
        double[][] same = new double[5][];
        for (int i = 0; i < 5; i++) {
            same[i] = new double[] {10, 10};
        }
        assertThrows(IllegalArgumentException.class, () -> FaceAlignment.of(same));
    }

    @Test
    void theCropSamplesTheImageWhereTheTransformPoints() {
        // Red on the left half of the image, blue on the right, black outside.
        BufferedImage image = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 200, 400);
        g.setColor(Color.BLUE);
        g.fillRect(200, 0, 200, 400);
        g.dispose();
        // Crop 2x the template, centred on x = 200: the crop's left half is red, its right half blue.
        FaceAlignment a = new FaceAlignment(2, 0, 200 - 2 * 56, 100);
        float[] planes = new float[3 * 112 * 112];
        a.sampleRgbPlanar(image, planes, 0);
        int plane = 112 * 112;
        int left = 50 * 112 + 20;
        int right = 50 * 112 + 90;
        assertEquals(255f, planes[left], 0.01f);
        assertEquals(0f, planes[2 * plane + left], 0.01f);
        assertEquals(0f, planes[right], 0.01f);
        assertEquals(255f, planes[2 * plane + right], 0.01f);
        // Shifted far off the image: black, as OpenCV's warpAffine pads.
        new FaceAlignment(1, 0, -1000, -1000).sampleRgbPlanar(image, planes, 0);
        assertEquals(0f, planes[left] + planes[plane + left] + planes[2 * plane + left], 0.01f);
    }
}
