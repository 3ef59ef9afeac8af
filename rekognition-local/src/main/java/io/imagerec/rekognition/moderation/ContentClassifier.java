package io.imagerec.rekognition.moderation;

import java.awt.image.BufferedImage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.model.ModelRegistry;
import io.imagerec.rekognition.model.TfjsGraphModel;

/**
 * nsfwjs' InceptionV3 content classifier: five probabilities that sum to 1 for a whole image
 * ({@link Scores}). DetectModerationLabels maps them onto Rekognition's moderation taxonomy; other
 * operations may call {@link #classify(DecodedImage)} too (for instance to tell a drawing or painting
 * from a photo by {@link Scores#drawing()}). Thread-safe; one forward pass per call (about 300 ms on
 * one core here, see docs/benchmarks.md).
 */
@ApplicationScoped
public class ContentClassifier {

    /** The model's input side: nsfwjs resizes every image to 299x299 for InceptionV3. */
    public static final int SIZE = 299;
    static final String INPUT = "input_1";
    static final String OUTPUT = "dense_3";

    private final TfjsGraphModel model;

    @Inject
    public ContentClassifier(ModelRegistry models) {
        this(models.nsfw());
    }

    ContentClassifier(TfjsGraphModel model) {
        this.model = model;
    }

    /**
     * The five class probabilities of nsfwjs, in [0, 1], summing to 1.
     *
     * @param drawing safe-for-work drawings and paintings (including anime)
     * @param hentai pornographic drawings
     * @param neutral safe-for-work photos
     * @param porn pornographic photos, sexual acts
     * @param sexy sexually suggestive photos without explicit nudity (lingerie, swimwear, poses)
     */
    public record Scores(float drawing, float hentai, float neutral, float porn, float sexy) {

        /** In nsfwjs' class order (dist/cjs/nsfw_classes.js): Drawing, Hentai, Neutral, Porn, Sexy. */
        static Scores of(float[] p) {
            return new Scores(p[0], p[1], p[2], p[3], p[4]);
        }

        float[] toArray() {
            return new float[] {drawing, hentai, neutral, porn, sexy};
        }
    }

    /** Classifies the whole image as people see it. */
    public Scores classify(DecodedImage image) {
        return classify(preprocess(image.pixels()));
    }

    /** Classifies an input already prepared by {@link #preprocess}: 299x299x3 floats in [0, 1], HWC. */
    Scores classify(float[] input) {
        float[] p = model.run(INPUT, new long[] {1, SIZE, SIZE, 3}, input, OUTPUT)[0];
        return Scores.of(p);
    }

    /**
     * nsfwjs' own preprocessing (dist/cjs/core.js, {@code classify}): pixel values divided by 255, then
     * {@code tf.image.resizeBilinear(.., [299, 299], alignCorners = true)}, computed as TensorFlow.js's CPU
     * kernel computes it (in doubles from float32 values, stored as float32).
     */
    static float[] preprocess(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] src = new float[w * h * 3];
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            src[i * 3] = ((p >> 16) & 0xff) / 255f;
            src[i * 3 + 1] = ((p >> 8) & 0xff) / 255f;
            src[i * 3 + 2] = (p & 0xff) / 255f;
        }
        if (w == SIZE && h == SIZE) {
            return src;
        }
        float[] out = new float[SIZE * SIZE * 3];
        double rowRatio = (h - 1) / (double) (SIZE - 1);
        double colRatio = (w - 1) / (double) (SIZE - 1);
        for (int y = 0; y < SIZE; y++) {
            double sy = rowRatio * y;
            int top = (int) Math.floor(sy);
            int bottom = Math.min(h - 1, (int) Math.ceil(sy));
            double fy = sy - top;
            for (int x = 0; x < SIZE; x++) {
                double sx = colRatio * x;
                int left = (int) Math.floor(sx);
                int right = Math.min(w - 1, (int) Math.ceil(sx));
                double fx = sx - left;
                for (int c = 0; c < 3; c++) {
                    double tl = src[(top * w + left) * 3 + c];
                    double tr = src[(top * w + right) * 3 + c];
                    double bl = src[(bottom * w + left) * 3 + c];
                    double br = src[(bottom * w + right) * 3 + c];
                    double topValue = tl + (tr - tl) * fx;
                    double bottomValue = bl + (br - bl) * fx;
                    out[(y * SIZE + x) * 3 + c] = (float) (topValue + (bottomValue - topValue) * fy);
                }
            }
        }
        return out;
    }
}
