package io.imagerec.rekognition.text;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** DetectText's response body. */
public record DetectTextResult(
        @JsonProperty("TextDetections") List<TextDetection> textDetections,
        @JsonProperty("TextModelVersion") String textModelVersion) {
}
