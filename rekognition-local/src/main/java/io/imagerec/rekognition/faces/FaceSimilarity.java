package io.imagerec.rekognition.faces;

/**
 * Turns the cosine of two face descriptors into Rekognition's 0-100 similarity: a logistic curve
 * that gives 80, Rekognition's default match threshold, at {@code matchCosine}, and rises from near 0
 * to near 100 over about {@code 10 × scale} of cosine. Each descriptor model has its own curve, fitted
 * on the tuning half of the sample pairs (docs/engine-faces.md).
 *
 * @param matchCosine the cosine that maps to 80
 * @param scale the logistic's scale in cosine units
 */
public record FaceSimilarity(double matchCosine, double scale) {

    /**
     * FaceRes: on ../shared/testdata the same-person pairs of the single-face photos have cosines of
     * 0.41-0.75 and the different-person pairs between them 0.32 or less.
     */
    public static final FaceSimilarity FACERES = new FaceSimilarity(0.37, 0.03);
    /**
     * ArcFace: on the tuning half of the sample pairs (6 same-person, 110 different-person, faces down
     * to 30 px) the least similar same-person pair has cosine 0.547 and the most similar different pair
     * 0.261; 80 sits at the middle of that gap, rounded (0.40), so those two score 99.8 and 3.7.
     */
    public static final FaceSimilarity ARCFACE = new FaceSimilarity(0.40, 0.03);

    /** The logistic's value at {@code matchCosine}. */
    private static final double AT_MATCH = 0.8;

    private double center() {
        return matchCosine - scale * Math.log(AT_MATCH / (1 - AT_MATCH));
    }

    public float of(float[] a, float[] b) {
        return fromCosine(dot(a, b));
    }

    public float fromCosine(double cosine) {
        double similarity = 100.0 / (1.0 + Math.exp(-(cosine - center()) / scale));
        return Math.round(similarity * 1000.0) / 1000f;
    }

    /** The smallest cosine whose similarity reaches {@code threshold} (0-100), for filtering before mapping. */
    public double cosineFor(float threshold) {
        if (threshold <= 0) {
            return -1;
        }
        if (threshold >= 100) {
            return 1;
        }
        double p = threshold / 100.0;
        return center() + scale * Math.log(p / (1 - p));
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
