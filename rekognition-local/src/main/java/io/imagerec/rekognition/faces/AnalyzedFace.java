package io.imagerec.rekognition.faces;

import io.imagerec.rekognition.shape.BoundingBox;
import io.imagerec.rekognition.shape.FaceDetail;

/**
 * One face as the models saw it.
 *
 * @param detail the Rekognition FaceDetail, with every attribute this engine estimates
 * @param descriptor unit-length identity vector, or null when it was not computed
 * @param pixelWidth face box width in pixels of the original image, for size filters
 * @param ageProbabilities FaceRes' probability of each age 0-99, or null when it did not run
 */
public record AnalyzedFace(FaceDetail detail, float[] descriptor, float pixelWidth, float[] ageProbabilities) {

    public BoundingBox box() {
        return detail.boundingBox();
    }

    public float area() {
        return box().width() * box().height();
    }
}
