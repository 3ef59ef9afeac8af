package io.imagerec.rekognition.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A rotated rectangle in pixel coordinates, corners in reading order: top-left, top-right,
 * bottom-right, bottom-left, with the top edge along the text direction (the longer side).
 */
public record Quad(float[] xs, float[] ys) {

    public float width() {
        return (float) Math.hypot(xs[1] - xs[0], ys[1] - ys[0]);
    }

    public float height() {
        return (float) Math.hypot(xs[3] - xs[0], ys[3] - ys[0]);
    }

    public float minX() {
        return Math.min(Math.min(xs[0], xs[1]), Math.min(xs[2], xs[3]));
    }

    public float maxX() {
        return Math.max(Math.max(xs[0], xs[1]), Math.max(xs[2], xs[3]));
    }

    public float minY() {
        return Math.min(Math.min(ys[0], ys[1]), Math.min(ys[2], ys[3]));
    }

    public float maxY() {
        return Math.max(Math.max(ys[0], ys[1]), Math.max(ys[2], ys[3]));
    }

    /** The part of this quad between fractions {@code from} and {@code to} of its width. */
    public Quad slice(float from, float to) {
        float dx = xs[1] - xs[0];
        float dy = ys[1] - ys[0];
        return new Quad(
                new float[] {xs[0] + from * dx, xs[0] + to * dx, xs[3] + to * dx, xs[3] + from * dx},
                new float[] {ys[0] + from * dy, ys[0] + to * dy, ys[3] + to * dy, ys[3] + from * dy});
    }

    /** The same rectangle read the other way round (turned by 180 degrees). */
    public Quad turned() {
        return new Quad(new float[] {xs[2], xs[3], xs[0], xs[1]}, new float[] {ys[2], ys[3], ys[0], ys[1]});
    }

    public Quad scaled(float sx, float sy) {
        float[] x = new float[4];
        float[] y = new float[4];
        for (int i = 0; i < 4; i++) {
            x[i] = xs[i] * sx;
            y[i] = ys[i] * sy;
        }
        return new Quad(x, y);
    }

    /**
     * The minimum-area rectangle around points (rotating calipers over their convex hull), grown on
     * every side by {@code margin} pixels.
     */
    static Quad minAreaRect(List<int[]> points, float margin) {
        List<int[]> hull = convexHull(points);
        double bestArea = Double.MAX_VALUE;
        double[] best = null;
        for (int i = 0; i < hull.size(); i++) {
            int[] a = hull.get(i);
            int[] b = hull.get((i + 1) % hull.size());
            double len = Math.hypot(b[0] - a[0], b[1] - a[1]);
            if (len == 0) {
                continue;
            }
            double ux = (b[0] - a[0]) / len;
            double uy = (b[1] - a[1]) / len;
            double minU = Double.MAX_VALUE;
            double maxU = -Double.MAX_VALUE;
            double minV = Double.MAX_VALUE;
            double maxV = -Double.MAX_VALUE;
            for (int[] p : hull) {
                double u = p[0] * ux + p[1] * uy;
                double v = -p[0] * uy + p[1] * ux;
                minU = Math.min(minU, u);
                maxU = Math.max(maxU, u);
                minV = Math.min(minV, v);
                maxV = Math.max(maxV, v);
            }
            double area = (maxU - minU) * (maxV - minV);
            if (area < bestArea) {
                bestArea = area;
                best = new double[] {ux, uy, minU, maxU, minV, maxV};
            }
        }
        if (best == null) { // a single point or a line of one pixel
            int[] p = hull.get(0);
            best = new double[] {1, 0, p[0], p[0] + 1, p[1], p[1] + 1};
        }
        double ux = best[0];
        double uy = best[1];
        double minU = best[2] - margin;
        double maxU = best[3] + 1 + margin;
        double minV = best[4] - margin;
        double maxV = best[5] + 1 + margin;
        // u along the longer side, pointing right; v perpendicular, pointing down.
        if (maxU - minU < maxV - minV) {
            double tx = ux;
            ux = -uy;
            uy = tx;
            double a = minU;
            double b = maxU;
            minU = minV;
            maxU = maxV;
            minV = -b;
            maxV = -a;
        }
        if (ux < 0 || (ux == 0 && uy < 0)) {
            ux = -ux;
            uy = -uy;
            double a = minU;
            minU = -maxU;
            maxU = -a;
            a = minV;
            minV = -maxV;
            maxV = -a;
        }
        double vx = -uy;
        double vy = ux;
        float[] xs = new float[4];
        float[] ys = new float[4];
        double[][] uv = {{minU, minV}, {maxU, minV}, {maxU, maxV}, {minU, maxV}};
        for (int i = 0; i < 4; i++) {
            xs[i] = (float) (uv[i][0] * ux + uv[i][1] * vx);
            ys[i] = (float) (uv[i][0] * uy + uv[i][1] * vy);
        }
        return new Quad(xs, ys);
    }

    /** Andrew's monotone chain. */
    static List<int[]> convexHull(List<int[]> points) {
        List<int[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.<int[]>comparingInt(p -> p[0]).thenComparingInt(p -> p[1]));
        if (sorted.size() < 3) {
            return sorted;
        }
        int[][] hull = new int[2 * sorted.size()][];
        int k = 0;
        for (int[] p : sorted) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        for (int i = sorted.size() - 2, lower = k + 1; i >= 0; i--) {
            int[] p = sorted.get(i);
            while (k >= lower && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < k - 1; i++) {
            out.add(hull[i]);
        }
        return out;
    }

    private static long cross(int[] o, int[] a, int[] b) {
        return (long) (a[0] - o[0]) * (b[1] - o[1]) - (long) (a[1] - o[1]) * (b[0] - o[0]);
    }
}
