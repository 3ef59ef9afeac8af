package io.imagerec.rekognition.shape;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Brightness, sharpness and contrast on 0-100 (contrast only for the whole image, as in Rekognition). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageQuality(
        @JsonProperty("Brightness") Float brightness,
        @JsonProperty("Sharpness") Float sharpness,
        @JsonProperty("Contrast") Float contrast) {
}
