package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;

/**
 * A square window on an image, possibly rotated, that the face models look through.
 *
 * <p>A point (u, v) of a {@code size}x{@code size} model input maps to the image point
 * {@code center + R(angle) * ((u / size - 0.5) * side, (v / size - 0.5) * side)}, so a face tilted by
 * {@code angle} radians appears upright to the model and model coordinates map back exactly.
 *
 * @param centerX window center in image pixels
 * @param centerY window center in image pixels
 * @param side window side in image pixels
 * @param angle rotation in radians (positive turns the window clockwise on the image)
 */
public record FaceCrop(float centerX, float centerY, float side, float angle) {

    /** The image point that a model-input point (u, v) of a {@code size}-pixel input looks at. */
    public float[] toImage(float u, float v, int size) {
        float dx = (u / size - 0.5f) * side;
        float dy = (v / size - 0.5f) * side;
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        return new float[] {centerX + cos * dx - sin * dy, centerY + sin * dx + cos * dy};
    }

    /**
     * Samples the window bilinearly into {@code size}x{@code size} RGB floats (NHWC) scaled to 0-1;
     * points outside the image are black, as TensorFlow's cropAndResize pads.
     */
    public float[] sampleRgb(BufferedImage image, int size) {
        float[] out = new float[size * size * 3];
        sampleRgb(image, size, out, 0);
        return out;
    }

    /** The windows sampled one after another into one NHWC batch of {@code size}x{@code size} RGB, 0-1. */
    public static float[] sampleBatch(BufferedImage image, List<FaceCrop> windows, int size) {
        int length = size * size * 3;
        float[] batch = new float[windows.size() * length];
        for (int i = 0; i < windows.size(); i++) {
            windows.get(i).sampleRgb(image, size, batch, i * length);
        }
        return batch;
    }

    private void sampleRgb(BufferedImage image, int size, float[] out, int offset) {
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int w = image.getWidth();
        int h = image.getHeight();
        float cos = (float) Math.cos(angle);
        float sin = (float) Math.sin(angle);
        float step = side / size;
        for (int v = 0; v < size; v++) {
            float dy = (v + 0.5f) * step - side / 2;
            for (int u = 0; u < size; u++) {
                float dx = (u + 0.5f) * step - side / 2;
                float x = centerX + cos * dx - sin * dy - 0.5f;
                float y = centerY + sin * dx + cos * dy - 0.5f;
                int o = offset + (v * size + u) * 3;
                for (int c = 0; c < 3; c++) {
                    out[o + c] = bilinear(pixels, w, h, x, y, 16 - 8 * c) / 255f;
                }
            }
        }
    }

    /**
     * One channel ({@code shift} 16 red, 8 green, 0 blue) of packed RGB pixels at a point between pixel
     * centres, interpolated bilinearly; outside the image counts as black.
     */
    static float bilinear(int[] pixels, int w, int h, double x, double y, int shift) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        float p00 = channel(pixels, w, h, x0, y0, shift);
        float p10 = channel(pixels, w, h, x0 + 1, y0, shift);
        float p01 = channel(pixels, w, h, x0, y0 + 1, shift);
        float p11 = channel(pixels, w, h, x0 + 1, y0 + 1, shift);
        float top = p00 + (p10 - p00) * fx;
        float bottom = p01 + (p11 - p01) * fx;
        return top + (bottom - top) * fy;
    }

    private static float channel(int[] pixels, int w, int h, int x, int y, int shift) {
        if (x < 0 || y < 0 || x >= w || y >= h) {
            return 0f;
        }
        return (pixels[y * w + x] >> shift) & 0xFF;
    }
}
