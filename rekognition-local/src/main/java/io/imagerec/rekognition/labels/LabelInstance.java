package io.imagerec.rekognition.labels;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.imagerec.rekognition.shape.BoundingBox;
import io.imagerec.rekognition.shape.DominantColor;

/** Where one object of a label is; DominantColors only when IMAGE_PROPERTIES was asked for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelInstance(
        @JsonProperty("BoundingBox") BoundingBox boundingBox,
        @JsonProperty("Confidence") float confidence,
        @JsonProperty("DominantColors") List<DominantColor> dominantColors) {
}
