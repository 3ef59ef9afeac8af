package io.imagerec.rekognition.image;

/**
 * Rekognition's documented image limits for one operation.
 *
 * @param minSide smallest accepted width and height in pixels
 * @param maxSide largest accepted width and height in pixels
 * @param decodeSide the decoded image is subsampled so that its longer side is at least this and at
 *        most twice this; the models never look at more pixels than that, and a huge image costs no
 *        more memory than a small one
 */
public record ImageLimits(int minSide, int maxSide, int decodeSide) {

    /** DetectLabels: 80 to 10,000 pixels per side. */
    public static final ImageLimits DETECT_LABELS = new ImageLimits(80, 10_000, 1024);

    /**
     * Face operations: the same sides. The detector sees 256x256 and each face is cropped from the
     * decoded pixels, so a 1024-2048 pixel decode keeps a face of 6% of the image at 60+ pixels.
     */
    public static final ImageLimits FACES = new ImageLimits(80, 10_000, 1024);

    /** DetectText: the same sides; decoded larger, since the recognizer reads small letters from the original. */
    public static final ImageLimits DETECT_TEXT = new ImageLimits(80, 10_000, 2048);
}
