package io.imagerec.rekognition.shape;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Rekognition's BoundingBox: ratios of the image width and height, origin at the top left. */
public record BoundingBox(
        @JsonProperty("Width") float width,
        @JsonProperty("Height") float height,
        @JsonProperty("Left") float left,
        @JsonProperty("Top") float top) {
}
