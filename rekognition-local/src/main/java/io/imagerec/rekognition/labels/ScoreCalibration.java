package io.imagerec.rekognition.labels;

/**
 * Maps the detector's raw scores (typically 0.3-0.8 for real objects) to Rekognition's 0-100
 * confidence scale, where 55 is the default cut-off and clear objects score 80-99:
 * {@code confidence = 100 * (1 - (1 - score)^k)}. The mapping is monotonic, so a higher raw score
 * always means a higher confidence, and it is inverted exactly to turn a MinConfidence into a raw
 * threshold.
 */
public record ScoreCalibration(double exponent) {

    public float toConfidence(float score) {
        double s = Math.max(0.0, Math.min(1.0, score));
        return (float) (100.0 * (1.0 - Math.pow(1.0 - s, exponent)));
    }

    public float toScore(float confidence) {
        double c = Math.max(0.0, Math.min(100.0, confidence)) / 100.0;
        return (float) (1.0 - Math.pow(1.0 - c, 1.0 / exponent));
    }
}
