package io.imagerec.rekognition.shape;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code {"Name": ...}} objects Rekognition uses for parents, aliases and categories. */
public record Named(@JsonProperty("Name") String name) {
}
