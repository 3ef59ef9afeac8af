package io.imagerec.rekognition.text;

import java.util.List;

import io.imagerec.rekognition.shape.BoundingBox;

/**
 * DetectText's {@code Filters}.
 *
 * @param minConfidence words below this confidence (0-100) are left out
 * @param minBoxHeight words whose box is less high than this ratio of the image height are left out
 * @param minBoxWidth likewise for the width
 * @param regions when not empty, only words with at least half their box inside one of these are kept
 */
public record DetectTextOptions(float minConfidence, float minBoxHeight, float minBoxWidth, List<BoundingBox> regions) {
}
