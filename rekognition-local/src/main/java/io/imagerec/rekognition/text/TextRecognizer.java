package io.imagerec.rekognition.text;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.imagerec.rekognition.model.ModelNotFoundException;
import io.imagerec.rekognition.model.OnnxModel;

/**
 * PP-OCRv4 text recognition: a line is cut out along its rotated box, scaled to 48 pixels high and
 * read by a CTC model over the package's character list; greedy decoding keeps, for every character,
 * the time step it was read at, which places the words of the line.
 */
public final class TextRecognizer {

    /** One character and where along the line (0-1) it was read. */
    public record Glyph(char character, float probability, float from, float to) {
    }

    /** A line as read: its characters in order. */
    public record Reading(List<Glyph> glyphs) {

        public float meanProbability() {
            float sum = 0;
            for (Glyph g : glyphs) {
                sum += g.probability();
            }
            return glyphs.isEmpty() ? 0 : sum / glyphs.size();
        }

        public String text() {
            StringBuilder s = new StringBuilder();
            glyphs.forEach(g -> s.append(g.character()));
            return s.toString().trim();
        }
    }

    static final int HEIGHT = 48;
    static final int BATCH = 1;
    private static final int MAX_WIDTH = 48 * 40;

    private final OnnxModel model;
    private final float widthFactor;
    /** Index 0 is CTC's blank; then the dictionary; the last class is the space. */
    private final char[] classes;

    public TextRecognizer(OnnxModel model, Path dictionary) throws IOException {
        this(model, dictionary, 1f);
    }

    /**
     * @param widthFactor the width a line is scaled to, as a fraction of its width at {@link #HEIGHT}
     *        pixels high with its aspect kept: below 1 the line is squeezed along its text direction,
     *        and the pass costs about that fraction of the time
     */
    public TextRecognizer(OnnxModel model, Path dictionary, float widthFactor) throws IOException {
        this.model = model;
        this.widthFactor = widthFactor;
        if (!Files.isRegularFile(dictionary)) {
            throw new ModelNotFoundException(dictionary);
        }
        List<String> lines = Files.readAllLines(dictionary, StandardCharsets.UTF_8);
        StringBuilder chars = new StringBuilder("\0");
        for (String line : lines) {
            chars.append(line.isEmpty() ? ' ' : line.charAt(0));
        }
        chars.append(' ');
        this.classes = chars.toString().toCharArray();
    }

    public Reading read(BufferedImage image, Quad box) {
        return readAll(image, List.of(box)).get(0);
    }

    /**
     * Reads lines in batches of up to {@link #BATCH} of similar width (sorted by aspect ratio, padded
     * to the widest of the batch, as PaddleOCR batches them). On ONNX Runtime for CPU a batch of six
     * took longer than six single lines (285 ms against 6 x 36 ms on a page), so the batch is one line.
     * The batches are read in parallel (the request's thread and the common fork-join pool, one thread
     * per core in all): a page of 20 lines is read in half the time on two cores, and under concurrent
     * requests the cores are busy either way (docs/benchmarks.md, "DetectText latency").
     */
    public List<Reading> readAll(BufferedImage image, List<Quad> boxes) {
        Integer[] order = new Integer[boxes.size()];
        int[] widths = new int[boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            order[i] = i;
            Quad box = boxes.get(i);
            widths[i] = Math.max(8, Math.min(MAX_WIDTH,
                    Math.round(widthFactor * HEIGHT * box.width() / Math.max(1f, box.height()))));
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> widths[i]));
        Reading[] readings = new Reading[boxes.size()];
        IntStream.range(0, (order.length + BATCH - 1) / BATCH).parallel().forEach(batch -> {
            int from = batch * BATCH;
            int to = Math.min(order.length, from + BATCH);
            int batchWidth = widths[order[to - 1]];
            int n = to - from;
            int plane = HEIGHT * batchWidth;
            float[] input = new float[n * 3 * plane];
            for (int b = 0; b < n; b++) {
                int index = order[from + b];
                crop(image, boxes.get(index), HEIGHT, widths[index], batchWidth, input, b * 3 * plane);
            }
            OnnxModel.Output out = model.run(new long[] {n, 3, HEIGHT, batchWidth}, input);
            int steps = (int) out.shape()[1];
            int classCount = (int) out.shape()[2];
            if (classCount != classes.length) {
                throw new IllegalStateException("recognition model has " + classCount + " classes, dictionary gives "
                        + classes.length);
            }
            for (int b = 0; b < n; b++) {
                int index = order[from + b];
                // positions along the line: the line fills widths[index] of the batch's width
                float scale = (float) batchWidth / widths[index];
                readings[index] = decode(out.values(), b * steps * classCount, steps, classCount, scale);
            }
        });
        return List.of(readings);
    }

    /** Greedy CTC decoding of one line's [steps x classes] probabilities. */
    private Reading decode(float[] p, int offset, int steps, int classCount, float scale) {
        List<Glyph> glyphs = new ArrayList<>();
        int previous = 0;
        for (int t = 0; t < steps; t++) {
            int row = offset + t * classCount;
            int best = 0;
            float bestP = p[row];
            for (int c = 1; c < classCount; c++) {
                if (p[row + c] > bestP) {
                    bestP = p[row + c];
                    best = c;
                }
            }
            float from = Math.min(1f, scale * t / steps);
            float to = Math.min(1f, scale * (t + 1) / steps);
            if (best != 0 && best != previous) {
                glyphs.add(new Glyph(classes[best], bestP, from, to));
            } else if (best != 0 && !glyphs.isEmpty()) {
                // the same character held over more steps: it extends to here
                Glyph last = glyphs.remove(glyphs.size() - 1);
                glyphs.add(new Glyph(last.character(), Math.max(last.probability(), bestP), last.from(), to));
            }
            previous = best;
        }
        return new Reading(glyphs);
    }

    /**
     * Samples the rotated box into {@code width} columns of a height x batchWidth CHW BGR tensor at
     * {@code offset}, normalised to [-1, 1]; the columns beyond stay 0 (mid-grey), PaddleOCR's padding.
     */
    static void crop(BufferedImage image, Quad box, int height, int width, int batchWidth, float[] input, int offset) {
        float[] xs = box.xs();
        float[] ys = box.ys();
        int plane = height * batchWidth;
        int iw = image.getWidth();
        int ih = image.getHeight();
        for (int j = 0; j < height; j++) {
            float v = (j + 0.5f) / height;
            for (int i = 0; i < width; i++) {
                float u = (i + 0.5f) / width;
                float x = xs[0] + u * (xs[1] - xs[0]) + v * (xs[3] - xs[0]);
                float y = ys[0] + u * (ys[1] - ys[0]) + v * (ys[3] - ys[0]);
                int rgb = bilinear(image, x - 0.5f, y - 0.5f, iw, ih);
                int k = offset + j * batchWidth + i;
                input[k] = ((rgb & 0xff) / 255f - 0.5f) / 0.5f;
                input[plane + k] = (((rgb >> 8) & 0xff) / 255f - 0.5f) / 0.5f;
                input[2 * plane + k] = (((rgb >> 16) & 0xff) / 255f - 0.5f) / 0.5f;
            }
        }
    }

    private static int bilinear(BufferedImage image, float x, float y, int w, int h) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = x - x0;
        float fy = y - y0;
        int p00 = pixel(image, x0, y0, w, h);
        int p10 = pixel(image, x0 + 1, y0, w, h);
        int p01 = pixel(image, x0, y0 + 1, w, h);
        int p11 = pixel(image, x0 + 1, y0 + 1, w, h);
        int out = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            float top = ((p00 >> shift) & 0xff) * (1 - fx) + ((p10 >> shift) & 0xff) * fx;
            float bottom = ((p01 >> shift) & 0xff) * (1 - fx) + ((p11 >> shift) & 0xff) * fx;
            out |= Math.round(top * (1 - fy) + bottom * fy) << shift;
        }
        return out;
    }

    private static int pixel(BufferedImage image, int x, int y, int w, int h) {
        return image.getRGB(Math.max(0, Math.min(w - 1, x)), Math.max(0, Math.min(h - 1, y)));
    }
}
