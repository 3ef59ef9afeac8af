package io.imagerec.rekognition.moderation;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * DetectModerationLabels' response. {@code HumanLoopActivationOutput} and {@code ProjectVersion} are never
 * set: no human review is started and no custom adapter is used.
 */
public record DetectModerationLabelsResult(
        @JsonProperty("ModerationLabels") List<ModerationLabel> moderationLabels,
        @JsonProperty("ModerationModelVersion") String moderationModelVersion,
        @JsonProperty("ContentTypes") List<ContentType> contentTypes) {
}
