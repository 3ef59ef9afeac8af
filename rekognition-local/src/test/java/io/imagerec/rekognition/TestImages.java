package io.imagerec.rekognition;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

import io.imagerec.testsupport.GeneratedImages;

/** Test inputs: generated images, and ../shared/testdata where it exists (CI has it beside the clone). */
public final class TestImages {

    private TestImages() {
    }

    /** The shared test data folder, or a skipped test where a clone has none beside it. */
    public static Path testdata() {
        return testdataIfPresent().orElseGet(() -> {
            Assumptions.abort("../shared/testdata is not beside this clone: tests on the real sample images are skipped");
            return null;
        });
    }

    /** The shared test data folder, or empty for tests that still run, with less, without it. */
    public static java.util.Optional<Path> testdataIfPresent() {
        for (Path candidate : new Path[] {Path.of("../../shared/testdata"), Path.of("../shared/testdata")}) {
            if (Files.isRegularFile(candidate.resolve("manifest.json"))) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The one rule that splits the sample set for every fitted threshold: items (an image's manifest
     * path, or a pair's two paths sorted and joined by {@code |}) sorted by name, even positions tune and
     * odd positions check. Figures reported as held-out come only from the checking half.
     */
    public static <T extends Comparable<? super T>> boolean inCheckingHalf(T item, java.util.Collection<T> all) {
        java.util.List<T> sorted = new java.util.ArrayList<>(new java.util.TreeSet<>(all));
        int position = sorted.indexOf(item);
        if (position < 0) {
            throw new IllegalArgumentException(item + " is not in the set being split");
        }
        return position % 2 == 1;
    }

    /** A picture split into two flat colours, left and right. */
    public static BufferedImage twoColors(int width, int height, Color left, Color right) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(right);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) {
        return GeneratedImages.encode(image, format);
    }
}
