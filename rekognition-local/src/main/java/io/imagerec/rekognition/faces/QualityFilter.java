package io.imagerec.rekognition.faces;

import java.util.ArrayList;
import java.util.List;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.shape.FaceDetail;

/**
 * Rekognition's QualityFilter: which faces are too poor to index or compare, with the reasons
 * Rekognition gives for them. The bars rise from LOW to HIGH; AUTO is MEDIUM; NONE keeps every face.
 */
public enum QualityFilter {
    NONE(0, 0, 0, 180),
    LOW(16, 5, 5, 75),
    MEDIUM(32, 15, 10, 60),
    AUTO(32, 15, 10, 60),
    HIGH(50, 30, 20, 40);

    private final float minWidthPixels;
    private final float minSharpness;
    private final float minBrightness;
    private final float maxYawOrPitch;

    QualityFilter(float minWidthPixels, float minSharpness, float minBrightness, float maxYawOrPitch) {
        this.minWidthPixels = minWidthPixels;
        this.minSharpness = minSharpness;
        this.minBrightness = minBrightness;
        this.maxYawOrPitch = maxYawOrPitch;
    }

    public static QualityFilter parse(String value, QualityFilter fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw RekognitionException.invalidParameter("QualityFilter must be one of NONE, AUTO, LOW, MEDIUM, HIGH");
        }
    }

    /** Why this face fails the bar; empty when it passes. */
    public List<String> reasons(AnalyzedFace face) {
        List<String> reasons = new ArrayList<>();
        if (this == NONE) {
            return reasons;
        }
        FaceDetail d = face.detail();
        if (face.pixelWidth() < minWidthPixels) {
            reasons.add("SMALL_BOUNDING_BOX");
        }
        if (d.quality().sharpness() < minSharpness) {
            reasons.add("LOW_SHARPNESS");
        }
        if (d.quality().brightness() < minBrightness) {
            reasons.add("LOW_BRIGHTNESS");
        }
        if (Math.abs(d.pose().yaw()) > maxYawOrPitch || Math.abs(d.pose().pitch()) > maxYawOrPitch) {
            reasons.add("EXTREME_POSE");
        }
        return reasons;
    }
}
