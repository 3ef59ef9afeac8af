package io.imagerec.rekognition.moderation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code ModerationLabels}, shaped as Rekognition's {@code ModerationLabel}. */
public record ModerationLabel(
        @JsonProperty("Confidence") float confidence,
        @JsonProperty("Name") String name,
        @JsonProperty("ParentName") String parentName,
        @JsonProperty("TaxonomyLevel") int taxonomyLevel) {
}
