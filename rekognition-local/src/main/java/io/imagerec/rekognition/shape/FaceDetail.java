package io.imagerec.rekognition.shape;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Rekognition's FaceDetail. Attributes that were not asked for, or that no model here estimates
 * (Beard, Mustache, Eyeglasses, Sunglasses, FaceOccluded, EyeDirection), are absent rather than invented.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaceDetail(
        @JsonProperty("BoundingBox") BoundingBox boundingBox,
        @JsonProperty("AgeRange") AgeRange ageRange,
        @JsonProperty("Smile") Attribute<Boolean> smile,
        @JsonProperty("Gender") Attribute<String> gender,
        @JsonProperty("EyesOpen") Attribute<Boolean> eyesOpen,
        @JsonProperty("MouthOpen") Attribute<Boolean> mouthOpen,
        @JsonProperty("Emotions") List<Emotion> emotions,
        @JsonProperty("Landmarks") List<Landmark> landmarks,
        @JsonProperty("Pose") Pose pose,
        @JsonProperty("Quality") ImageQuality quality,
        @JsonProperty("Confidence") float confidence) {

    public record AgeRange(@JsonProperty("Low") int low, @JsonProperty("High") int high) {
    }

    /** A yes/no or named estimate with Rekognition's Value and Confidence. */
    public record Attribute<T>(@JsonProperty("Value") T value, @JsonProperty("Confidence") float confidence) {
    }

    public record Emotion(@JsonProperty("Type") String type, @JsonProperty("Confidence") float confidence) {
    }

    /** A named point as ratios of the image width and height (it may lie just outside the image). */
    public record Landmark(@JsonProperty("Type") String type, @JsonProperty("X") float x, @JsonProperty("Y") float y) {
    }

    /** Head rotation in degrees, -180 to 180. */
    public record Pose(@JsonProperty("Roll") float roll, @JsonProperty("Yaw") float yaw,
                       @JsonProperty("Pitch") float pitch) {
    }
}
