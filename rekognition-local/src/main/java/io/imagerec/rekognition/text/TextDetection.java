package io.imagerec.rekognition.text;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.imagerec.rekognition.shape.BoundingBox;

/** One entry of DetectText's {@code TextDetections}: a LINE, or a WORD with the Id of its line as ParentId. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TextDetection(
        @JsonProperty("DetectedText") String detectedText,
        @JsonProperty("Type") String type,
        @JsonProperty("Id") int id,
        @JsonProperty("ParentId") Integer parentId,
        @JsonProperty("Confidence") float confidence,
        @JsonProperty("Geometry") Geometry geometry) {

    public record Geometry(
            @JsonProperty("BoundingBox") BoundingBox boundingBox,
            @JsonProperty("Polygon") List<Point> polygon) {
    }

    public record Point(@JsonProperty("X") float x, @JsonProperty("Y") float y) {
    }
}
