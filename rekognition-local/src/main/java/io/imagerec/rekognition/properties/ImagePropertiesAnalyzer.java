package io.imagerec.rekognition.properties;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.imagerec.rekognition.image.Resize;
import io.imagerec.rekognition.shape.BoundingBox;
import io.imagerec.rekognition.shape.DominantColor;
import io.imagerec.rekognition.shape.ImageQuality;

/**
 * Measures what DetectLabels' IMAGE_PROPERTIES reports, from the pixels alone:
 * <ul>
 *   <li>Brightness: mean luma, 0-100.</li>
 *   <li>Contrast: RMS contrast (standard deviation of luma over half the range), 0-100.</li>
 *   <li>Sharpness: variance of the Laplacian of luma at a fixed working size, mapped to 0-100 by
 *       {@code 100 * (1 - exp(-variance / 400))}, so a blurred copy always scores lower.</li>
 *   <li>Dominant colours: k-means in RGB over the pixels, seeded from the most populated bins of a
 *       coarse histogram (deterministic), each with the share of pixels it covers.</li>
 * </ul>
 */
public final class ImagePropertiesAnalyzer {

    /** Working size: statistics are taken on an image scaled to at most this many pixels per side. */
    static final int WORK_SIDE = 256;
    private static final int KMEANS_ITERATIONS = 8;
    private static final float SHARPNESS_SCALE = 400f;

    /** Pixels of one region, packed RGB, at working size. */
    public static final class Region {
        final int[] rgb;
        final int width;
        final int height;
        final boolean[] mask;

        private Region(int[] rgb, int width, int height, boolean[] mask) {
            this.rgb = rgb;
            this.width = width;
            this.height = height;
            this.mask = mask;
        }

        public int pixelCount() {
            if (mask == null) {
                return rgb.length;
            }
            int n = 0;
            for (boolean m : mask) {
                if (m) {
                    n++;
                }
            }
            return n;
        }
    }

    private ImagePropertiesAnalyzer() {
    }

    public static Region whole(BufferedImage image) {
        return new Region(workingPixels(image), workingWidth(image), workingHeight(image), null);
    }

    /** The parts of {@code whole} inside (or, with {@code inside == false}, outside) the boxes. */
    public static Region masked(Region whole, List<BoundingBox> boxes, boolean inside) {
        boolean[] mask = new boolean[whole.rgb.length];
        for (int y = 0; y < whole.height; y++) {
            for (int x = 0; x < whole.width; x++) {
                float fx = (x + 0.5f) / whole.width;
                float fy = (y + 0.5f) / whole.height;
                boolean in = false;
                for (BoundingBox b : boxes) {
                    if (fx >= b.left() && fx < b.left() + b.width() && fy >= b.top() && fy < b.top() + b.height()) {
                        in = true;
                        break;
                    }
                }
                mask[y * whole.width + x] = in == inside;
            }
        }
        return new Region(whole.rgb, whole.width, whole.height, mask);
    }

    /** The part of {@code whole} inside one box, for per-instance colours. */
    public static Region crop(Region whole, BoundingBox box) {
        return masked(whole, List.of(box), true);
    }

    public static ImageQuality quality(Region region, boolean withContrast) {
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int i = 0; i < region.rgb.length; i++) {
            if (region.mask != null && !region.mask[i]) {
                continue;
            }
            double l = luma(region.rgb[i]);
            sum += l;
            sumSq += l * l;
            n++;
        }
        if (n == 0) {
            return new ImageQuality(0f, 0f, withContrast ? 0f : null);
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        float brightness = round2((float) (mean / 255.0 * 100.0));
        float contrast = round2((float) Math.min(100.0, std / 127.5 * 100.0));
        return new ImageQuality(brightness, round2(sharpness(region)), withContrast ? contrast : null);
    }

    private static float sharpness(Region region) {
        int w = region.width;
        int h = region.height;
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                if (region.mask != null && !region.mask[i]) {
                    continue;
                }
                double lap = luma(region.rgb[i - 1]) + luma(region.rgb[i + 1]) + luma(region.rgb[i - w])
                        + luma(region.rgb[i + w]) - 4 * luma(region.rgb[i]);
                sum += lap;
                sumSq += lap * lap;
                n++;
            }
        }
        if (n == 0) {
            return 0f;
        }
        double mean = sum / n;
        double variance = Math.max(0, sumSq / n - mean * mean);
        return (float) (100.0 * (1.0 - Math.exp(-variance / SHARPNESS_SCALE)));
    }

    public static List<DominantColor> dominantColors(Region region, int maxColors) {
        if (maxColors <= 0) {
            return List.of();
        }
        int n = region.pixelCount();
        if (n == 0) {
            return List.of();
        }
        int[] pixels = new int[n];
        for (int i = 0, j = 0; i < region.rgb.length; i++) {
            if (region.mask == null || region.mask[i]) {
                pixels[j++] = region.rgb[i];
            }
        }
        float[][] centers = seed(pixels, maxColors);
        int k = centers.length;
        int[] assignment = new int[n];
        for (int iter = 0; iter < KMEANS_ITERATIONS; iter++) {
            double[][] sums = new double[k][3];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                int p = pixels[i];
                int best = nearest(centers, (p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff);
                assignment[i] = best;
                sums[best][0] += (p >> 16) & 0xff;
                sums[best][1] += (p >> 8) & 0xff;
                sums[best][2] += p & 0xff;
                counts[best]++;
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] > 0) {
                    centers[c] = new float[] {(float) (sums[c][0] / counts[c]), (float) (sums[c][1] / counts[c]),
                            (float) (sums[c][2] / counts[c])};
                }
            }
        }
        int[] counts = new int[k];
        for (int a : assignment) {
            counts[a]++;
        }
        List<DominantColor> colors = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                continue;
            }
            int r = Math.round(centers[c][0]);
            int g = Math.round(centers[c][1]);
            int b = Math.round(centers[c][2]);
            colors.add(new DominantColor(r, g, b, ColorNames.hex(r, g, b), ColorNames.css(r, g, b),
                    ColorNames.simplified(r, g, b), round2(100f * counts[c] / n)));
        }
        colors.sort(Comparator.comparing(DominantColor::pixelPercent).reversed());
        return colors;
    }

    /** Initial centres: the most populated cells of an 8x8x8 RGB histogram. */
    private static float[][] seed(int[] pixels, int k) {
        int[] hist = new int[512];
        for (int p : pixels) {
            hist[(((p >> 21) & 7) << 6) | (((p >> 13) & 7) << 3) | ((p >> 5) & 7)]++;
        }
        List<Integer> cells = new ArrayList<>();
        for (int i = 0; i < hist.length; i++) {
            if (hist[i] > 0) {
                cells.add(i);
            }
        }
        cells.sort((a, b) -> hist[b] != hist[a] ? Integer.compare(hist[b], hist[a]) : Integer.compare(a, b));
        int count = Math.min(k, cells.size());
        float[][] centers = new float[count][];
        for (int c = 0; c < count; c++) {
            int cell = cells.get(c);
            centers[c] = new float[] {((cell >> 6) & 7) * 32 + 16, ((cell >> 3) & 7) * 32 + 16, (cell & 7) * 32 + 16};
        }
        return centers;
    }

    private static int nearest(float[][] centers, int r, int g, int b) {
        int best = 0;
        float bestDistance = Float.MAX_VALUE;
        for (int c = 0; c < centers.length; c++) {
            float dr = r - centers[c][0];
            float dg = g - centers[c][1];
            float db = b - centers[c][2];
            float d = dr * dr + dg * dg + db * db;
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static double luma(int p) {
        return 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
    }

    private static float round2(float v) {
        return Math.round(v * 100f) / 100f;
    }

    private static int workingWidth(BufferedImage image) {
        float s = Math.min(1f, (float) WORK_SIDE / Math.max(image.getWidth(), image.getHeight()));
        return Math.max(1, Math.round(image.getWidth() * s));
    }

    private static int workingHeight(BufferedImage image) {
        float s = Math.min(1f, (float) WORK_SIDE / Math.max(image.getWidth(), image.getHeight()));
        return Math.max(1, Math.round(image.getHeight() * s));
    }

    private static int[] workingPixels(BufferedImage image) {
        BufferedImage small = Resize.bilinear(image, workingWidth(image), workingHeight(image));
        return ((DataBufferInt) small.getRaster().getDataBuffer()).getData();
    }
}
