package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

import io.imagerec.rekognition.model.OnnxModel;

/**
 * faceplugin-face-recognition-js's eye-closeness model ({@code model/fr_eye.onnx}): one eye, 24x24
 * grey 0-1 (1x1x24x24), two scores softmaxed.
 *
 * <p>The crop, as {@code lib/fr_eye.js} cuts it: an axis-aligned square centred on the eye, 1.6 times
 * the distance between its corners.
 *
 * <p>Measured against the geometric rule and not kept (docs/engine-faces.md); used by {@link FaceModelsOnSamples}.
 */
public final class EyeStateModel {

    static final int SIZE = 24;
    static final float PADDING = 1.6f;

    private final OnnxModel model;

    public EyeStateModel(OnnxModel model) {
        this.model = model;
    }

    /**
     * The model's two softmaxed scores for the eye between the corners (x1, y1) and (x2, y2), in image
     * pixels; index 0 is what {@code fr_eye.js} compares against index 1.
     */
    public float[] scores(BufferedImage image, float x1, float y1, float x2, float y2) {
        float cx = (x1 + x2) / 2;
        float cy = (y1 + y2) / 2;
        float side = (float) Math.hypot(x2 - x1, y2 - y1) * PADDING;
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int w = image.getWidth();
        int h = image.getHeight();
        float[] input = new float[SIZE * SIZE];
        for (int v = 0; v < SIZE; v++) {
            for (int u = 0; u < SIZE; u++) {
                float x = cx - side / 2 + (u + 0.5f) * side / SIZE - 0.5f;
                float y = cy - side / 2 + (v + 0.5f) * side / SIZE - 0.5f;
                float r = FacepluginAgeModel.bilinear(pixels, w, h, x, y, 16);
                float g = FacepluginAgeModel.bilinear(pixels, w, h, x, y, 8);
                float b = FacepluginAgeModel.bilinear(pixels, w, h, x, y, 0);
                input[v * SIZE + u] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
            }
        }
        float[] logits = model.run(new long[] {1, 1, SIZE, SIZE}, input).values();
        double m = Math.max(logits[0], logits[1]);
        double e0 = Math.exp(logits[0] - m);
        double e1 = Math.exp(logits[1] - m);
        return new float[] {(float) (e0 / (e0 + e1)), (float) (e1 / (e0 + e1))};
    }
}
