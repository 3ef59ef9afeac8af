package io.imagerec.rekognition.labels;

import java.util.List;

/**
 * What a DetectLabels call asks for.
 *
 * @param maxLabels at most this many labels, or null for all
 * @param minConfidence labels and instances below this confidence are left out
 * @param generalLabels GENERAL_LABELS requested
 * @param imageProperties IMAGE_PROPERTIES requested
 * @param maxDominantColors dominant colours per region
 */
public record DetectLabelsOptions(
        Integer maxLabels,
        float minConfidence,
        boolean generalLabels,
        boolean imageProperties,
        int maxDominantColors,
        List<String> labelInclusions,
        List<String> labelExclusions,
        List<String> categoryInclusions,
        List<String> categoryExclusions) {
}
