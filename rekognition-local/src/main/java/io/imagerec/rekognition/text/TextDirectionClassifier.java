package io.imagerec.rekognition.text;

import java.awt.image.BufferedImage;

import io.imagerec.rekognition.model.OnnxModel;

/**
 * PaddleOCR's text direction classifier: tells whether a cut-out line reads upright or upside down
 * (0 or 180 degrees). A line it is sure (90%) is upside down is turned before it is read.
 */
public final class TextDirectionClassifier {

    static final int HEIGHT = 48;
    static final int WIDTH = 192;
    private static final float UPSIDE_DOWN_THRESHOLD = 0.9f;

    private final OnnxModel model;

    public TextDirectionClassifier(OnnxModel model) {
        this.model = model;
    }

    /** The box as it should be read: itself, or turned by 180 degrees. */
    public Quad upright(BufferedImage image, Quad box) {
        int width = Math.max(8, Math.min(WIDTH, Math.round(HEIGHT * box.width() / Math.max(1f, box.height()))));
        float[] input = new float[3 * HEIGHT * WIDTH];
        TextRecognizer.crop(image, box, HEIGHT, width, WIDTH, input, 0);
        float[] p = model.run(new long[] {1, 3, HEIGHT, WIDTH}, input).values();
        return p[1] > UPSIDE_DOWN_THRESHOLD ? box.turned() : box;
    }
}
