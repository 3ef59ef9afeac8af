package io.imagerec.rekognition.faces;

/**
 * Turns the cosine of two face descriptors into Rekognition's 0-100 similarity.
 *
 * <p>A logistic curve centred so that cosine {@value #MATCH_COSINE} gives 80, Rekognition's default
 * match threshold. On ../shared/testdata the same-person pairs (Obama, Biden, each in 3-4 photos)
 * have cosines of 0.41-0.75, which map to 94-100, and the different-person pairs 0.32 or less, which
 * map to 45 or less.
 */
public final class FaceSimilarity {

    static final double MATCH_COSINE = 0.37;
    private static final double SCALE = 0.03;
    /** The logistic's value at {@link #MATCH_COSINE}. */
    private static final double AT_MATCH = 0.8;
    private static final double CENTER = MATCH_COSINE - SCALE * Math.log(AT_MATCH / (1 - AT_MATCH));

    private FaceSimilarity() {
    }

    public static float of(float[] a, float[] b) {
        return fromCosine(dot(a, b));
    }

    public static float fromCosine(double cosine) {
        double similarity = 100.0 / (1.0 + Math.exp(-(cosine - CENTER) / SCALE));
        return Math.round(similarity * 1000.0) / 1000f;
    }

    /** The smallest cosine whose similarity reaches {@code threshold} (0-100), for filtering before mapping. */
    public static double cosineFor(float threshold) {
        if (threshold <= 0) {
            return -1;
        }
        if (threshold >= 100) {
            return 1;
        }
        double p = threshold / 100.0;
        return CENTER + SCALE * Math.log(p / (1 - p));
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
