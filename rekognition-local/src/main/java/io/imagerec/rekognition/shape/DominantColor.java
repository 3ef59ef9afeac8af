package io.imagerec.rekognition.shape;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One dominant colour as DetectLabels' IMAGE_PROPERTIES reports it. */
public record DominantColor(
        @JsonProperty("Red") int red,
        @JsonProperty("Green") int green,
        @JsonProperty("Blue") int blue,
        @JsonProperty("HexCode") String hexCode,
        @JsonProperty("CSSColor") String cssColor,
        @JsonProperty("SimplifiedColor") String simplifiedColor,
        @JsonProperty("PixelPercent") float pixelPercent) {
}
