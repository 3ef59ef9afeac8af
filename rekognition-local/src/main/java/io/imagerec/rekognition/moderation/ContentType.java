package io.imagerec.rekognition.moderation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code ContentTypes}, shaped as Rekognition's {@code ContentType}. */
public record ContentType(
        @JsonProperty("Confidence") float confidence,
        @JsonProperty("Name") String name) {
}
