package io.imagerec.rekognition.shape;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Rekognition's BoundingBox: ratios of the image width and height, origin at the top left. */
public record BoundingBox(
        @JsonProperty("Width") float width,
        @JsonProperty("Height") float height,
        @JsonProperty("Left") float left,
        @JsonProperty("Top") float top) {

    /** Intersection over union with another box in the same units. */
    public float iou(BoundingBox other) {
        float x1 = Math.max(left, other.left);
        float y1 = Math.max(top, other.top);
        float x2 = Math.min(left + width, other.left + other.width);
        float y2 = Math.min(top + height, other.top + other.height);
        float intersection = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        float union = width * height + other.width * other.height - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
