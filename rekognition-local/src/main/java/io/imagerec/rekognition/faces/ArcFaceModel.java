package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.imagerec.rekognition.model.OnnxModel;

/**
 * The ArcFace-style recognizer of faceplugin-face-recognition-js ({@code model/fr_feature.onnx}): a
 * 512-value identity embedding.
 *
 * <p>Input as the package's {@code lib/fr_feature.js} prepares it: 1x3x112x112 (NCHW), RGB, each value
 * {@code (x − 127) / 128}, the face warped so its eyes, nose tip and mouth corners land on the
 * standard ArcFace template ({@link FaceAlignment}). Output: 512 values, returned L2-normalised, so the
 * dot product of two is their cosine.
 */
public final class ArcFaceModel {

    public static final int DESCRIPTOR_LENGTH = 512;
    private static final int PLANE = 3 * FaceAlignment.SIZE * FaceAlignment.SIZE;

    private final OnnxModel model;
    private final boolean batched;

    public ArcFaceModel(OnnxModel model) {
        this.model = model;
        this.batched = model.inputShape().length == 4 && model.inputShape()[0] < 0;
    }

    /** The unit-length embedding of every aligned face, in order. */
    public List<float[]> run(BufferedImage image, List<FaceAlignment> faces) {
        int n = faces.size();
        List<float[]> out = new ArrayList<>(n);
        if (n == 0) {
            return out;
        }
        float[] input = new float[n * PLANE];
        for (int i = 0; i < n; i++) {
            faces.get(i).sampleRgbPlanar(image, input, i * PLANE);
        }
        for (int k = 0; k < input.length; k++) {
            input[k] = (input[k] - 127f) / 128f;
        }
        if (batched) {
            float[] values = model.run(new long[] {n, 3, FaceAlignment.SIZE, FaceAlignment.SIZE}, input).values();
            for (int i = 0; i < n; i++) {
                out.add(FaceTraitsModel.normalize(
                        Arrays.copyOfRange(values, i * DESCRIPTOR_LENGTH, (i + 1) * DESCRIPTOR_LENGTH)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                float[] one = Arrays.copyOfRange(input, i * PLANE, (i + 1) * PLANE);
                out.add(FaceTraitsModel.normalize(
                        model.run(new long[] {1, 3, FaceAlignment.SIZE, FaceAlignment.SIZE}, one).values()));
            }
        }
        return out;
    }
}
