package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * The similarity transform (scale, rotation, shift; no shear) that puts a face's five points where
 * ArcFace-style recognizers were trained to see them, and the crop it samples.
 *
 * <p>A point (u, v) of the {@value #SIZE}x{@value #SIZE} crop maps to the image point
 * {@code (a·u − b·v + tx, b·u + a·v + ty)}. Coordinates are continuous: pixel i covers [i, i+1).
 *
 * @param a scale times the cosine of the rotation
 * @param b scale times the sine of the rotation
 * @param tx image x of the crop's origin
 * @param ty image y of the crop's origin
 */
public record FaceAlignment(double a, double b, double tx, double ty) {

    /** Side of the aligned crop in pixels. */
    public static final int SIZE = 112;

    /**
     * The standard ArcFace template (insightface's {@code arcface_dst}, as {@code lib/fr_feature.js}
     * of faceplugin-face-recognition-js gives it) for a 112x112 crop, in OpenCV pixel coordinates: the
     * eye on the image's left, the eye on its right, the nose tip, the mouth's left and right corners.
     */
    static final double[][] TEMPLATE = {
        {38.29459953, 51.69630051},
        {73.53179932, 51.50139999},
        {56.02519989, 71.73660278},
        {41.54930115, 92.3655014},
        {70.72990036, 92.20410156},
    };

    /**
     * The least-squares similarity transform from the face's points to the template (Umeyama without
     * reflection, as insightface's {@code norm_crop} estimates it), inverted to map crop to image.
     *
     * @param points the five points in image pixels (continuous coordinates), in {@link #TEMPLATE}'s order
     */
    public static FaceAlignment of(double[][] points) {
        int n = TEMPLATE.length;
        // Template points move from OpenCV's pixel centres (integers) to continuous coordinates.
        double[][] dst = new double[n][];
        for (int i = 0; i < n; i++) {
            dst[i] = new double[] {TEMPLATE[i][0] + 0.5, TEMPLATE[i][1] + 0.5};
        }
        double sx = 0;
        double sy = 0;
        double dx = 0;
        double dy = 0;
        for (int i = 0; i < n; i++) {
            sx += points[i][0];
            sy += points[i][1];
            dx += dst[i][0];
            dy += dst[i][1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        // Image -> template: (p, q) = [c -s; s c] (x, y) + t, least squares with centred points.
        double num1 = 0;
        double num2 = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double x = points[i][0] - sx;
            double y = points[i][1] - sy;
            double p = dst[i][0] - dx;
            double q = dst[i][1] - dy;
            num1 += x * p + y * q;
            num2 += x * q - y * p;
            den += x * x + y * y;
        }
        if (den == 0) {
            throw new IllegalArgumentException("the five face points coincide");
        }
        double c = num1 / den;
        double s = num2 / den;
        // Invert: (x, y) = [c s; -s c] / (c² + s²) ((p, q) − t), i.e. a = c/k, b = −s/k.
        double k = c * c + s * s;
        double a = c / k;
        double b = -s / k;
        double tx = sx - (a * dx - b * dy);
        double ty = sy - (b * dx + a * dy);
        return new FaceAlignment(a, b, tx, ty);
    }

    /** The image point that crop point (u, v) looks at. */
    public double[] toImage(double u, double v) {
        return new double[] {a * u - b * v + tx, b * u + a * v + ty};
    }

    /** Scale of the crop: image pixels per crop pixel. */
    public double scale() {
        return Math.hypot(a, b);
    }

    /**
     * Samples the crop bilinearly into {@code out} at {@code offset}, channel-first (NCHW) RGB 0-255;
     * points outside the image are black, as OpenCV's warpAffine pads by default.
     */
    public void sampleRgbPlanar(BufferedImage image, float[] out, int offset) {
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = SIZE * SIZE;
        for (int v = 0; v < SIZE; v++) {
            for (int u = 0; u < SIZE; u++) {
                double cu = u + 0.5;
                double cv = v + 0.5;
                double x = a * cu - b * cv + tx - 0.5;
                double y = b * cu + a * cv + ty - 0.5;
                int o = offset + v * SIZE + u;
                for (int ch = 0; ch < 3; ch++) {
                    out[o + ch * plane] = FaceCrop.bilinear(pixels, w, h, x, y, 16 - 8 * ch);
                }
            }
        }
    }
}
