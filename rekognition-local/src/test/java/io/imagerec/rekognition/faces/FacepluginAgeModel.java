package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Map;

import io.imagerec.rekognition.model.OnnxModel;
import io.imagerec.rekognition.shape.BoundingBox;

/**
 * faceplugin-face-recognition-js's age model ({@code model/fr_age.onnx}), an SSR-Net: three stages of
 * three age bins, each with its bin shifts and width change, merged into one age in years.
 *
 * <p>Input as {@code lib/fr_age.js} prepares it: 1x3x64x64 (NCHW) RGB, ImageNet-normalised
 * ({@code (x/255 − mean) / std}), cut from the face box widened 1.4 times about its centre (kept inside
 * the image) and stretched to 64x64.
 *
 * <p>Measured against FaceRes and not kept (docs/engine-faces.md); used by {@link FaceModelsOnSamples}.
 */
public final class FacepluginAgeModel {

    static final int SIZE = 64;
    static final float BOX_SCALE = 1.4f;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final OnnxModel model;

    public FacepluginAgeModel(OnnxModel model) {
        this.model = model;
    }

    /** The age in years of the face in {@code box} (ratios of the image). */
    public float age(BufferedImage image, BoundingBox box) {
        float[] input = crop(image, box);
        Map<String, OnnxModel.Output> out = model.runAll(new long[] {1, 3, SIZE, SIZE}, input);
        return merge(out.get("prob_stage_1").values(), out.get("prob_stage_2").values(),
                out.get("prob_stage_3").values(),
                new float[] {out.get("stage1_delta_k").values()[0], out.get("stage2_delta_k").values()[0],
                    out.get("stage3_delta_k").values()[0]},
                out.get("index_offset_stage1").values(), out.get("index_offset_stage2").values(),
                out.get("index_offset_stage3").values());
    }

    /** SSR-Net's soft stagewise regression with three bins per stage, as {@code mergeAge} computes it. */
    static float merge(float[] p1, float[] p2, float[] p3, float[] delta, float[] off1, float[] off2, float[] off3) {
        double s1 = 3 * (1 + delta[0]);
        double s2 = 3 * (1 + delta[1]);
        double s3 = 3 * (1 + delta[2]);
        double a = 0;
        double b = 0;
        double c = 0;
        for (int i = 0; i < 3; i++) {
            a += (i + off1[i]) * p1[i];
            b += (i + off2[i]) * p2[i];
            c += (i + off3[i]) * p3[i];
        }
        return (float) ((a / s1 + b / s1 / s2 + c / s1 / s2 / s3) * 101);
    }

    /** The widened box, kept inside the image, bilinearly stretched to 64x64 NCHW and normalised. */
    static float[] crop(BufferedImage image, BoundingBox box) {
        int w = image.getWidth();
        int h = image.getHeight();
        float bw = box.width() * w;
        float bh = box.height() * h;
        float scale = Math.min((h - 1) / bh, Math.min((w - 1) / bw, BOX_SCALE));
        float nw = bw * scale;
        float nh = bh * scale;
        float cx = (box.left() + box.width() / 2) * w;
        float cy = (box.top() + box.height() / 2) * h;
        float x0 = Math.max(0, Math.min(w - 1 - nw, cx - nw / 2));
        float y0 = Math.max(0, Math.min(h - 1 - nh, cy - nh / 2));
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        float[] out = new float[3 * SIZE * SIZE];
        for (int v = 0; v < SIZE; v++) {
            for (int u = 0; u < SIZE; u++) {
                float x = x0 + (u + 0.5f) * nw / SIZE - 0.5f;
                float y = y0 + (v + 0.5f) * nh / SIZE - 0.5f;
                for (int ch = 0; ch < 3; ch++) {
                    float value = bilinear(pixels, w, h, x, y, 16 - 8 * ch) / 255f;
                    out[ch * SIZE * SIZE + v * SIZE + u] = (value - MEAN[ch]) / STD[ch];
                }
            }
        }
        return out;
    }

    static float bilinear(int[] pixels, int w, int h, float x, float y, int shift) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = x - x0;
        float fy = y - y0;
        float p00 = at(pixels, w, h, x0, y0, shift);
        float p10 = at(pixels, w, h, x0 + 1, y0, shift);
        float p01 = at(pixels, w, h, x0, y0 + 1, shift);
        float p11 = at(pixels, w, h, x0 + 1, y0 + 1, shift);
        float top = p00 + (p10 - p00) * fx;
        float bottom = p01 + (p11 - p01) * fx;
        return top + (bottom - top) * fy;
    }

    /** A channel of the nearest pixel inside the image (edges repeat). */
    private static float at(int[] pixels, int w, int h, int x, int y, int shift) {
        int cx = Math.max(0, Math.min(w - 1, x));
        int cy = Math.max(0, Math.min(h - 1, y));
        return (pixels[cy * w + cx] >> shift) & 0xFF;
    }
}
