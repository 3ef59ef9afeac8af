package io.imagerec.rekognition.labels;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.imagerec.rekognition.shape.Named;

/** One entry of DetectLabels' {@code Labels}, shaped as Rekognition shapes it. */
public record Label(
        @JsonProperty("Name") String name,
        @JsonProperty("Confidence") float confidence,
        @JsonProperty("Instances") List<LabelInstance> instances,
        @JsonProperty("Parents") List<Named> parents,
        @JsonProperty("Aliases") List<Named> aliases,
        @JsonProperty("Categories") List<Named> categories) {
}
