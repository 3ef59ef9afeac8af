package io.imagerec.rekognition.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.imagerec.rekognition.api.RekognitionException;

/**
 * Decodes JPEG and PNG bytes the way Rekognition accepts them: format checked by magic bytes,
 * dimensions checked from the header before any pixel is decoded (so a pixel-count bomb costs
 * nothing), grayscale and CMYK JPEGs converted to RGB, EXIF orientation applied, truncated data
 * refused.
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    public static String sniffFormat(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8 && (bytes[2] & 0xff) == 0xFF) {
            return "JPEG";
        }
        if (bytes.length >= 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G'
                && bytes[4] == 0x0D && bytes[5] == 0x0A && bytes[6] == 0x1A && bytes[7] == 0x0A) {
            return "PNG";
        }
        return null;
    }

    public static DecodedImage decode(byte[] bytes, ImageLimits limits) {
        String format = sniffFormat(bytes);
        if (format == null) {
            throw RekognitionException.invalidImageFormat("Request has unsupported image format");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
            if (!readers.hasNext()) {
                throw RekognitionException.invalidImageFormat("Request has unsupported image format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int storedWidth = reader.getWidth(0);
                int storedHeight = reader.getHeight(0);
                int orientation = "JPEG".equals(format) ? ExifOrientation.read(bytes) : 1;
                boolean swap = orientation >= 5 && orientation <= 8;
                int width = swap ? storedHeight : storedWidth;
                int height = swap ? storedWidth : storedHeight;
                checkDimensions(width, height, limits);

                ImageReadParam param = reader.getDefaultReadParam();
                int subsampling = Math.max(1, Math.max(storedWidth, storedHeight) / limits.decodeSide());
                if (subsampling > 1) {
                    param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                }
                AtomicReference<String> warning = new AtomicReference<>();
                reader.addIIOReadWarningListener((source, message) -> warning.compareAndSet(null, message));
                BufferedImage stored = readRgb(reader, param);
                if (warning.get() != null || ("JPEG".equals(format) && !hasJpegEnd(bytes))) {
                    throw RekognitionException.invalidImageFormat("Request has invalid image format: the image data is "
                            + "incomplete or corrupt" + (warning.get() != null ? " (" + warning.get() + ")" : ""));
                }
                return new DecodedImage(orient(stored, orientation), width, height, format);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RekognitionException r) {
                throw r;
            }
            throw RekognitionException.invalidImageFormat("Request has invalid image format: " + e.getMessage());
        }
    }

    private static void checkDimensions(int width, int height, ImageLimits limits) {
        if (width < limits.minSide() || height < limits.minSide()) {
            throw RekognitionException.invalidParameter("Request has invalid image dimensions " + width + "x" + height
                    + ": the minimum is " + limits.minSide() + " pixels for both width and height");
        }
        if (width > limits.maxSide() || height > limits.maxSide()) {
            throw RekognitionException.imageTooLarge("Image dimensions " + width + "x" + height
                    + " exceed the maximum of " + limits.maxSide() + " pixels for width and height");
        }
    }

    /** Reads the image as RGB, converting CMYK and YCCK JPEGs that ImageIO cannot turn into a BufferedImage. */
    private static BufferedImage readRgb(ImageReader reader, ImageReadParam param) throws IOException {
        try {
            return toRgb(reader.read(0, param));
        } catch (javax.imageio.IIOException e) {
            if (!String.valueOf(e.getMessage()).contains("Unsupported Image Type")) {
                throw e;
            }
            Raster raster = reader.readRaster(0, param);
            if (raster.getNumBands() != 4) {
                throw e;
            }
            return cmykToRgb(raster, isYcck(reader));
        }
    }

    private static boolean isYcck(ImageReader reader) {
        try {
            javax.imageio.metadata.IIOMetadata metadata = reader.getImageMetadata(0);
            org.w3c.dom.Node root = metadata.getAsTree("javax_imageio_jpeg_image_1.0");
            org.w3c.dom.NodeList adobe = ((org.w3c.dom.Element) root).getElementsByTagName("app14Adobe");
            if (adobe.getLength() > 0) {
                org.w3c.dom.Node transform = adobe.item(0).getAttributes().getNamedItem("transform");
                return transform != null && "2".equals(transform.getNodeValue());
            }
        } catch (IOException | RuntimeException ignored) {
            // no readable Adobe segment: treat the bands as plain (Adobe-inverted) CMYK
        }
        return false;
    }

    /** Adobe CMYK JPEGs store inverted ink values; YCCK stores them after a YCbCr transform. */
    private static BufferedImage cmykToRgb(Raster raster, boolean ycck) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, px);
                float c = px[0];
                float m = px[1];
                float ye = px[2];
                float k = px[3];
                if (ycck) {
                    float yy = px[0];
                    float cb = px[1] - 128f;
                    float cr = px[2] - 128f;
                    c = clamp(yy + 1.402f * cr);
                    m = clamp(yy - 0.344136f * cb - 0.714136f * cr);
                    ye = clamp(yy + 1.772f * cb);
                }
                // values are (255 - ink): the channel that remains is value * (255 - black ink) / 255
                int r = Math.round(c * k / 255f);
                int g = Math.round(m * k / 255f);
                int b = Math.round(ye * k / 255f);
                rgb.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return rgb;
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(255f, v));
    }

    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            // transparent PNG pixels are shown on white, as image viewers do
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static boolean hasJpegEnd(byte[] bytes) {
        // The end-of-image marker may be followed by padding or trailing metadata.
        int from = Math.max(1, bytes.length - 4096);
        for (int i = bytes.length - 1; i >= from; i--) {
            if ((bytes[i] & 0xff) == 0xD9 && (bytes[i - 1] & 0xff) == 0xFF) {
                return true;
            }
        }
        return false;
    }

    /** Applies an EXIF orientation (1-8) so that the pixels stand as the camera meant them. */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        AffineTransform t = new AffineTransform();
        switch (orientation) {
            case 2 -> { t.translate(w, 0); t.scale(-1, 1); }
            case 3 -> { t.translate(w, h); t.rotate(Math.PI); }
            case 4 -> { t.translate(0, h); t.scale(1, -1); }
            case 5 -> { t.rotate(-Math.PI / 2); t.scale(-1, 1); }
            case 6 -> { t.translate(h, 0); t.rotate(Math.PI / 2); }
            case 7 -> { t.scale(-1, 1); t.translate(-h, 0); t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            case 8 -> { t.translate(0, w); t.rotate(3 * Math.PI / 2); }
            default -> { }
        }
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(image, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
