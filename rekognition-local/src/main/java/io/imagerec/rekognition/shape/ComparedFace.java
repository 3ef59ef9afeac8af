package io.imagerec.rekognition.shape;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Rekognition's ComparedFace: a face in a CompareFaces target image, with the five main landmarks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComparedFace(
        @JsonProperty("BoundingBox") BoundingBox boundingBox,
        @JsonProperty("Confidence") float confidence,
        @JsonProperty("Landmarks") List<FaceDetail.Landmark> landmarks,
        @JsonProperty("Pose") FaceDetail.Pose pose,
        @JsonProperty("Quality") ImageQuality quality,
        @JsonProperty("Emotions") List<FaceDetail.Emotion> emotions,
        @JsonProperty("Smile") FaceDetail.Attribute<Boolean> smile) {

    private static final List<String> MAIN_LANDMARKS = List.of("eyeLeft", "eyeRight", "mouthLeft", "mouthRight", "nose");

    public static ComparedFace of(FaceDetail d) {
        return new ComparedFace(d.boundingBox(), d.confidence(),
                d.landmarks().stream().filter(l -> MAIN_LANDMARKS.contains(l.type())).toList(),
                d.pose(), d.quality(), d.emotions(), d.smile());
    }
}
