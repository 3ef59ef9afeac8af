package io.imagerec.rekognition.labels;

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

    public float area() {
        return width * height;
    }

    public float iou(Detection other) {
        float x1 = Math.max(left, other.left);
        float y1 = Math.max(top, other.top);
        float x2 = Math.min(left + width, other.left + other.width);
        float y2 = Math.min(top + height, other.top + other.height);
        float intersection = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        float union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
