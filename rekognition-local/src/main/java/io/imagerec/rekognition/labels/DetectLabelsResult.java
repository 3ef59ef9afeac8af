package io.imagerec.rekognition.labels;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.imagerec.rekognition.shape.DominantColor;
import io.imagerec.rekognition.shape.ImageQuality;

/** DetectLabels' response body. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DetectLabelsResult(
        @JsonProperty("Labels") List<Label> labels,
        @JsonProperty("LabelModelVersion") String labelModelVersion,
        @JsonProperty("ImageProperties") ImageProperties imageProperties) {

    /** Whole-image quality and colours, and the same for the detected objects (foreground) and the rest. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageProperties(
            @JsonProperty("Quality") ImageQuality quality,
            @JsonProperty("DominantColors") List<DominantColor> dominantColors,
            @JsonProperty("Foreground") Region foreground,
            @JsonProperty("Background") Region background) {
    }

    public record Region(
            @JsonProperty("Quality") ImageQuality quality,
            @JsonProperty("DominantColors") List<DominantColor> dominantColors) {
    }
}
