package io.imagerec.rekognition.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreCalibrationTest {

    private final ScoreCalibration calibration = new ScoreCalibration(DetectLabelsOperation.CENTERNET_CALIBRATION);

    @Test
    void isMonotonicAndInvertible() {
        float previous = -1;
        for (int i = 0; i <= 100; i++) {
            float score = i / 100f;
            float confidence = calibration.toConfidence(score);
            assertTrue(confidence >= previous, "not monotonic at " + score);
            assertEquals(score, calibration.toScore(confidence), 1e-4f);
            previous = confidence;
        }
        assertEquals(0f, calibration.toConfidence(0f));
        assertEquals(100f, calibration.toConfidence(1f));
    }

    @Test
    void mapsTheDocumentedPoints() {
        assertEquals(50f, calibration.toConfidence(0.28f), 1f);
        assertEquals(55f, calibration.toConfidence(0.31f), 1f);
        assertEquals(97f, calibration.toConfidence(0.8f), 1f);
    }
}
