package io.imagerec.rekognition.labels;

import io.imagerec.rekognition.shape.BoundingBox;

/**
 * One object the detector found.
 *
 * @param classIndex index in the COCO-80 class list
 * @param score the detector's raw score (0-1)
 * @param left left edge as a ratio of the image width
 * @param top top edge as a ratio of the image height
 * @param width box width as a ratio of the image width
 * @param height box height as a ratio of the image height
 */
public record Detection(int classIndex, float score, float left, float top, float width, float height) {

    public BoundingBox box() {
        return new BoundingBox(width, height, left, top);
    }
}
