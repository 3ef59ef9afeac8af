package io.imagerec.rekognition.text;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.imagerec.rekognition.image.Resize;
import io.imagerec.rekognition.model.OnnxModel;

/**
 * PP-OCRv4 text detection (DB, differentiable binarization) and its post-processing: the probability
 * map is thresholded, each connected region becomes its minimum-area rectangle, regions the model is
 * not sure of are dropped, and the rest are grown back (the model predicts shrunk text kernels) by
 * {@code area * 1.5 / perimeter}, as PaddleOCR does.
 */
public final class TextDetector {

    /** A text line's box in image pixels, and the model's mean probability inside it. */
    public record Box(Quad quad, float score) {
    }

    /**
     * The longest side the model sees (images are scaled down to it, never up): 704 rather than
     * PaddleOCR's 960, for about half the pixels and half the pass's time, with the same or lower
     * character error rates on the sample images and fewer spurious regions (docs/benchmarks.md,
     * "DetectText on 2 cores").
     */
    static final int LIMIT_SIDE = 704;
    private static final float BINARY_THRESHOLD = 0.3f;
    private static final float BOX_THRESHOLD = 0.6f;
    private static final float UNCLIP_RATIO = 1.5f;
    private static final int MIN_SIDE = 3;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final OnnxModel model;

    public TextDetector(OnnxModel model) {
        this.model = model;
    }

    public List<Box> detect(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float scale = Math.min(1f, (float) LIMIT_SIDE / Math.max(w, h));
        int nw = Math.max(32, Math.round(w * scale / 32f) * 32);
        int nh = Math.max(32, Math.round(h * scale / 32f) * 32);
        float[] input = toInput(image, nw, nh);
        OnnxModel.Output out = model.run(new long[] {1, 3, nh, nw}, input);
        int mh = (int) out.shape()[2];
        int mw = (int) out.shape()[3];
        float[] prob = out.values();

        boolean[] seen = new boolean[mw * mh];
        List<Box> boxes = new ArrayList<>();
        int[] queue = new int[mw * mh];
        for (int start = 0; start < prob.length; start++) {
            if (seen[start] || prob[start] <= BINARY_THRESHOLD) {
                continue;
            }
            // Flood-fill one region (8-connected) of the binarised map.
            List<int[]> pixels = new ArrayList<>();
            float sum = 0;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            seen[start] = true;
            while (head < tail) {
                int i = queue[head++];
                int x = i % mw;
                int y = i / mw;
                pixels.add(new int[] {x, y});
                sum += prob[i];
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= mw || ny >= mh) {
                            continue;
                        }
                        int j = ny * mw + nx;
                        if (!seen[j] && prob[j] > BINARY_THRESHOLD) {
                            seen[j] = true;
                            queue[tail++] = j;
                        }
                    }
                }
            }
            float score = sum / pixels.size();
            if (pixels.size() < 4 || score < BOX_THRESHOLD) {
                continue;
            }
            Quad kernel = Quad.minAreaRect(pixels, 0);
            if (Math.min(kernel.width(), kernel.height()) < MIN_SIDE) {
                continue;
            }
            float area = kernel.width() * kernel.height();
            float perimeter = 2 * (kernel.width() + kernel.height());
            Quad grown = Quad.minAreaRect(pixels, area * UNCLIP_RATIO / perimeter);
            if (Math.min(grown.width(), grown.height()) < MIN_SIDE + 2) {
                continue;
            }
            boxes.add(new Box(grown.scaled((float) w / mw, (float) h / mh), score));
        }
        // Reading order: top to bottom, then left to right for lines on about the same row.
        boxes.sort(Comparator.comparing((Box b) -> b.quad().minY()));
        for (int i = 1; i < boxes.size(); i++) {
            for (int j = i; j > 0; j--) {
                Box a = boxes.get(j - 1);
                Box b = boxes.get(j);
                float rowTolerance = Math.min(a.quad().height(), b.quad().height()) / 2;
                if (Math.abs(b.quad().minY() - a.quad().minY()) < rowTolerance && b.quad().minX() < a.quad().minX()) {
                    boxes.set(j - 1, b);
                    boxes.set(j, a);
                } else {
                    break;
                }
            }
        }
        return boxes;
    }

    /** CHW floats in BGR order (PaddleOCR reads images with OpenCV), ImageNet mean and deviation. */
    private static float[] toInput(BufferedImage image, int nw, int nh) {
        int[] rgb = ((DataBufferInt) Resize.bilinear(image, nw, nh).getRaster().getDataBuffer()).getData();
        int plane = nw * nh;
        float[] input = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            float b = (p & 0xff) / 255f;
            float gr = ((p >> 8) & 0xff) / 255f;
            float r = ((p >> 16) & 0xff) / 255f;
            input[i] = (b - MEAN[0]) / STD[0];
            input[plane + i] = (gr - MEAN[1]) / STD[1];
            input[2 * plane + i] = (r - MEAN[2]) / STD[2];
        }
        return input;
    }
}
