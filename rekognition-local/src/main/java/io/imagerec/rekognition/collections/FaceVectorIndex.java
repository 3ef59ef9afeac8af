package io.imagerec.rekognition.collections;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * Unit-length face descriptors in one flat array, searched exhaustively by dot product.
 *
 * <p>Each descriptor is stored as signed bytes scaled to its largest component (one byte per
 * dimension: 512 bytes for ArcFace, 1 KB for FaceRes, a quarter of floats), and so is the query, which changes cosines by well under 0.01. An exhaustive scan is
 * exact and, at this size, fast enough: see SearchFacesByImage in docs/benchmarks.md. Large indexes
 * are scanned in parallel slices.
 *
 * <p>Not thread-safe; {@link FaceCollection} guards it with a read-write lock.
 */
final class FaceVectorIndex {

    /** Below this many vectors one thread scans; above, the scan is split across the cores. */
    private static final int PARALLEL_FROM = 20_000;
    private static final int SLICES = Math.max(1, Runtime.getRuntime().availableProcessors());

    private final int dimensions;
    private byte[] vectors;
    private float[] scales;
    private int size;

    FaceVectorIndex(int dimensions) {
        this.dimensions = dimensions;
        this.vectors = new byte[dimensions * 16];
        this.scales = new float[16];
    }

    int size() {
        return size;
    }

    /** Appends a descriptor and returns its slot. */
    int add(float[] descriptor) {
        if (descriptor.length != dimensions) {
            throw new IllegalArgumentException("descriptor has " + descriptor.length + " values, expected " + dimensions);
        }
        byte[] quantized = new byte[dimensions];
        return addQuantized(quantized, quantize(descriptor, quantized));
    }

    /** Appends an already quantized descriptor (as stored on disk). */
    int addQuantized(byte[] quantized, float scale) {
        if (size == scales.length) {
            scales = Arrays.copyOf(scales, size * 2);
            vectors = Arrays.copyOf(vectors, size * 2 * dimensions);
        }
        System.arraycopy(quantized, 0, vectors, size * dimensions, dimensions);
        scales[size] = scale;
        return size++;
    }

    /** Moves the last slot into {@code slot} (to delete {@code slot}) and returns the slot that moved. */
    int removeBySwap(int slot) {
        int last = size - 1;
        if (slot != last) {
            System.arraycopy(vectors, last * dimensions, vectors, slot * dimensions, dimensions);
            scales[slot] = scales[last];
        }
        size--;
        return last;
    }

    float[] vector(int slot) {
        float[] out = new float[dimensions];
        int base = slot * dimensions;
        for (int i = 0; i < dimensions; i++) {
            out[i] = vectors[base + i] * scales[slot];
        }
        return out;
    }

    /** A slot and its cosine with the query. */
    record Hit(int slot, float cosine) {
    }

    /** The {@code limit} best slots with a cosine of at least {@code minCosine}, best first. */
    List<Hit> search(float[] query, double minCosine, int limit, int excludeSlot) {
        // The query is quantized too, so the scan multiplies and adds integers, which the JIT
        // vectorizes; float sums it may not reorder, and they ran 1.8 times slower.
        byte[] q8 = new byte[dimensions];
        float qs = quantize(query, q8);
        int[] q = new int[dimensions];
        for (int i = 0; i < dimensions; i++) {
            q[i] = q8[i];
        }
        if (size < PARALLEL_FROM) {
            return top(scan(q, qs, minCosine, limit, excludeSlot, 0, size), limit);
        }
        int slice = (size + SLICES - 1) / SLICES;
        List<Hit> merged = IntStream.range(0, SLICES).parallel()
                .mapToObj(s -> scan(q, qs, minCosine, limit, excludeSlot, s * slice, Math.min(size, (s + 1) * slice)))
                .flatMap(List::stream)
                .toList();
        return top(merged, limit);
    }

    private List<Hit> scan(int[] query, float queryScale, double minCosine, int limit, int excludeSlot, int from,
                           int to) {
        PriorityQueue<Hit> best = new PriorityQueue<>((a, b) -> Float.compare(a.cosine, b.cosine));
        byte[] v = vectors;
        for (int slot = from; slot < to; slot++) {
            if (slot == excludeSlot) {
                continue;
            }
            int base = slot * dimensions;
            int sum = 0;
            for (int i = 0; i < dimensions; i++) {
                sum += query[i] * v[base + i];
            }
            float cosine = sum * queryScale * scales[slot];
            if (cosine >= minCosine && (best.size() < limit || cosine > best.peek().cosine)) {
                best.add(new Hit(slot, cosine));
                if (best.size() > limit) {
                    best.poll();
                }
            }
        }
        return new ArrayList<>(best);
    }

    private static List<Hit> top(List<Hit> hits, int limit) {
        List<Hit> sorted = new ArrayList<>(hits);
        sorted.sort((a, b) -> Float.compare(b.cosine, a.cosine));
        return sorted.size() > limit ? sorted.subList(0, limit) : sorted;
    }

    /** Writes the descriptor into {@code into} as signed bytes scaled so the largest component is 127; returns the scale. */
    static float quantize(float[] descriptor, byte[] into) {
        float max = 0;
        for (float x : descriptor) {
            max = Math.max(max, Math.abs(x));
        }
        float scale = max == 0 ? 1f : max / 127f;
        for (int i = 0; i < descriptor.length; i++) {
            into[i] = (byte) Math.round(descriptor[i] / scale);
        }
        return scale;
    }
}
