package io.imagerec.rekognition.image;

import java.awt.image.BufferedImage;

/**
 * An image as people see it: EXIF orientation applied, RGB pixels.
 *
 * @param pixels the decoded RGB image, possibly subsampled from the original for speed and memory
 * @param width width of the upright original in pixels
 * @param height height of the upright original in pixels
 * @param format "JPEG" or "PNG"
 */
public record DecodedImage(BufferedImage pixels, int width, int height, String format) {
}
