package io.imagerec.rekognition.text;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.shape.BoundingBox;

/**
 * DetectText: lines found by the detector, read by the recognizer, split into words at the spaces it
 * reads, and shaped as Rekognition shapes them: LINE entries first, then their WORD entries with
 * ParentId, at most 100 words as Rekognition documents. A line read with a mean confidence under 60
 * is dropped as noise: on photos without text the recognizer's large (Chinese and English) alphabet
 * otherwise turns foliage or fur into single low-confidence characters.
 */
public class DetectTextService {

    public static final String TEXT_MODEL_VERSION = "3.0";
    static final int MAX_WORDS = 100;
    /**
     * Readings below this mean character probability (0-100) are dropped: fitted on the tuning half of
     * the sample images and checked on the other half ({@code LineCutOffHeldOutTest}).
     */
    static final float MIN_LINE_CONFIDENCE = 72f;

    private final TextDetector detector;
    private final TextDetector idleDetector;
    private final BooleanSupplier idle;
    private final TextDirectionClassifier direction;
    private final TextRecognizer recognizer;

    public DetectTextService(TextDetector detector, TextDirectionClassifier direction, TextRecognizer recognizer) {
        this(detector, detector, () -> false, direction, recognizer);
    }

    /**
     * @param idleDetector the detector used while {@code idle} says no other request is in flight (on
     *        more threads: the pass is a third of a page's time and would otherwise leave a core idle)
     */
    public DetectTextService(TextDetector detector, TextDetector idleDetector, BooleanSupplier idle,
            TextDirectionClassifier direction, TextRecognizer recognizer) {
        this.detector = detector;
        this.idleDetector = idleDetector;
        this.idle = idle;
        this.direction = direction;
        this.recognizer = recognizer;
    }

    private record Word(String text, float confidence, Quad quad) {
    }

    /** A region the detector found, turned upright, and what the recognizer read in it. */
    record BoxReading(Quad box, TextRecognizer.Reading reading) {
    }

    /**
     * Every region the detector finds and its reading, before the line cut-off
     * ({@link #MIN_LINE_CONFIDENCE}, fitted on the tuning half of the sample images) drops any.
     */
    List<BoxReading> readBoxes(BufferedImage pixels) {
        // Each box's direction on its own: spread over the cores, as the recognizer's lines are.
        List<Quad> boxes = (idle.getAsBoolean() ? idleDetector : detector).detect(pixels).stream().parallel()
                .map(b -> direction.upright(pixels, b.quad())).toList();
        List<TextRecognizer.Reading> readings = recognizer.readAll(pixels, boxes);
        List<BoxReading> read = new ArrayList<>(boxes.size());
        for (int b = 0; b < boxes.size(); b++) {
            read.add(new BoxReading(boxes.get(b), readings.get(b)));
        }
        return read;
    }

    public DetectTextResult detect(DecodedImage image, DetectTextOptions options) {
        BufferedImage pixels = image.pixels();
        float iw = pixels.getWidth();
        float ih = pixels.getHeight();
        List<TextDetection> lines = new ArrayList<>();
        List<TextDetection> words = new ArrayList<>();
        int nextLineId = 0;
        List<List<Word>> lineWords = new ArrayList<>();
        List<Quad> lineQuads = new ArrayList<>();
        for (BoxReading read : readBoxes(pixels)) {
            Quad box = read.box();
            TextRecognizer.Reading reading = read.reading();
            if (reading.glyphs().isEmpty() || 100f * reading.meanProbability() < MIN_LINE_CONFIDENCE) {
                continue;
            }
            List<Word> kept = new ArrayList<>();
            for (Word w : words(reading, box)) {
                if (keep(w, options, iw, ih)) {
                    kept.add(w);
                }
            }
            if (!kept.isEmpty()) {
                lineWords.add(kept);
                lineQuads.add(box);
            }
        }
        mergeLinesOnOneRow(lineWords, lineQuads);
        // Ids: lines 0..n-1 first, then words, as Rekognition numbers them.
        int lineCount = 0;
        int budget = MAX_WORDS;
        for (List<Word> kept : lineWords) {
            if (budget <= 0) {
                break;
            }
            lineCount++;
            budget -= kept.size();
        }
        int wordId = lineCount;
        for (int l = 0; l < lineCount; l++) {
            List<Word> kept = lineWords.get(l);
            StringBuilder text = new StringBuilder();
            float confidence = 0;
            for (Word w : kept) {
                text.append(text.length() == 0 ? "" : " ").append(w.text());
                confidence += w.confidence();
            }
            lines.add(new TextDetection(text.toString(), "LINE", nextLineId, null, confidence / kept.size(),
                    geometry(lineQuads.get(l), iw, ih)));
            for (Word w : kept) {
                if (words.size() >= MAX_WORDS) {
                    break;
                }
                words.add(new TextDetection(w.text(), "WORD", wordId++, nextLineId, w.confidence(),
                        geometry(w.quad(), iw, ih)));
            }
            nextLineId++;
        }
        List<TextDetection> all = new ArrayList<>(lines);
        all.addAll(words);
        return new DetectTextResult(all, TEXT_MODEL_VERSION);
    }

    /**
     * Joins neighbouring boxes that sit on one row, at one size and one angle, a word space apart: the
     * detector often splits a line at wide word gaps ("NO PARKING | HERE"), where Rekognition reports
     * one LINE.
     */
    private static void mergeLinesOnOneRow(List<List<Word>> lineWords, List<Quad> lineQuads) {
        for (int i = 0; i + 1 < lineQuads.size(); ) {
            Quad a = lineQuads.get(i);
            Quad b = lineQuads.get(i + 1);
            if (sameRow(a, b)) {
                lineQuads.set(i, new Quad(new float[] {a.xs()[0], b.xs()[1], b.xs()[2], a.xs()[3]},
                        new float[] {a.ys()[0], b.ys()[1], b.ys()[2], a.ys()[3]}));
                lineWords.get(i).addAll(lineWords.remove(i + 1));
                lineQuads.remove(i + 1);
            } else {
                i++;
            }
        }
    }

    private static boolean sameRow(Quad a, Quad b) {
        double angleA = Math.atan2(a.ys()[1] - a.ys()[0], a.xs()[1] - a.xs()[0]);
        double angleB = Math.atan2(b.ys()[1] - b.ys()[0], b.xs()[1] - b.xs()[0]);
        float ha = a.height();
        float hb = b.height();
        float h = Math.min(ha, hb);
        // where b starts, measured along a's direction from a's end
        double ux = Math.cos(angleA);
        double uy = Math.sin(angleA);
        double gap = (b.xs()[0] - a.xs()[1]) * ux + (b.ys()[0] - a.ys()[1]) * uy;
        double offset = -(b.xs()[0] - a.xs()[1]) * uy + (b.ys()[0] - a.ys()[1]) * ux;
        return Math.abs(angleA - angleB) < Math.toRadians(5) && Math.max(ha, hb) / h < 1.4f
                && Math.abs(offset) < 0.5 * h && gap > -0.2 * h && gap < 1.2 * h;
    }

    /** Splits a line's reading into words at the spaces the recognizer read. */
    private static List<Word> words(TextRecognizer.Reading reading, Quad line) {
        List<Word> out = new ArrayList<>();
        List<TextRecognizer.Glyph> current = new ArrayList<>();
        for (TextRecognizer.Glyph g : reading.glyphs()) {
            if (g.character() == ' ') {
                addWord(out, current, line);
                current = new ArrayList<>();
            } else {
                current.add(g);
            }
        }
        addWord(out, current, line);
        return out;
    }

    private static float center(TextRecognizer.Glyph g) {
        return (g.from() + g.to()) / 2;
    }

    private static void addWord(List<Word> out, List<TextRecognizer.Glyph> glyphs, Quad line) {
        if (glyphs.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        float confidence = 0;
        for (TextRecognizer.Glyph g : glyphs) {
            text.append(g.character());
            confidence += g.probability();
        }
        // A glyph is read over a narrow span of steps; widen the word to half a letter on each side.
        float pitch = glyphs.size() > 1 ? (center(glyphs.get(glyphs.size() - 1)) - center(glyphs.get(0)))
                / (glyphs.size() - 1) : glyphs.get(0).to() - glyphs.get(0).from();
        float from = Math.max(0f, center(glyphs.get(0)) - pitch * 0.6f);
        float to = Math.min(1f, center(glyphs.get(glyphs.size() - 1)) + pitch * 0.6f);
        out.add(new Word(text.toString(), 100f * confidence / glyphs.size(), line.slice(from, to)));
    }

    private static boolean keep(Word w, DetectTextOptions options, float iw, float ih) {
        if (w.confidence() < options.minConfidence()) {
            return false;
        }
        float left = Math.max(0, w.quad().minX()) / iw;
        float top = Math.max(0, w.quad().minY()) / ih;
        float width = Math.min(iw, w.quad().maxX()) / iw - left;
        float height = Math.min(ih, w.quad().maxY()) / ih - top;
        if (height < options.minBoxHeight() || width < options.minBoxWidth()) {
            return false;
        }
        if (options.regions().isEmpty()) {
            return true;
        }
        float area = Math.max(1e-9f, width * height);
        for (BoundingBox r : options.regions()) {
            float ix = Math.min(left + width, r.left() + r.width()) - Math.max(left, r.left());
            float iy = Math.min(top + height, r.top() + r.height()) - Math.max(top, r.top());
            if (ix > 0 && iy > 0 && ix * iy >= 0.5f * area) {
                return true;
            }
        }
        return false;
    }

    private static TextDetection.Geometry geometry(Quad q, float iw, float ih) {
        List<TextDetection.Point> polygon = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            polygon.add(new TextDetection.Point(clamp(q.xs()[i] / iw), clamp(q.ys()[i] / ih)));
        }
        float left = clamp(q.minX() / iw);
        float top = clamp(q.minY() / ih);
        return new TextDetection.Geometry(new BoundingBox(clamp(q.maxX() / iw) - left, clamp(q.maxY() / ih) - top,
                left, top), polygon);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
