package io.imagerec.rekognition.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RequestGate;

/**
 * Decodes JPEG and PNG bytes the way Rekognition accepts them: format checked by magic bytes,
 * dimensions checked from the header before any pixel is decoded (so a pixel-count bomb costs
 * nothing), grayscale and CMYK JPEGs converted to RGB, EXIF orientation applied, truncated data
 * refused. A large image is decoded in the engine's large-image lane ({@link RequestGate#decodeLane}).
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
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
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
                BufferedImage stored = RequestGate.decodeLane((long) storedWidth * storedHeight,
                        () -> readRgbUnchecked(reader, param, format));
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
            if (e instanceof UncheckedIOException u) {
                throw RekognitionException.invalidImageFormat("Request has invalid image format: "
                        + u.getCause().getMessage());
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

    /**
     * Reads the image as RGB. JPEGs are read as rasters and converted here: ImageIO's own colour
     * conversion is several times slower than the decode itself (600 ms for a 3-megapixel progressive
     * photo), and it cannot convert CMYK at all.
     */
    private static BufferedImage readRgb(ImageReader reader, ImageReadParam param, String format) throws IOException {
        if (!"JPEG".equals(format)) {
            return toRgb(reader.read(0, param));
        }
        Raster raster = reader.readRaster(0, param);
        int adobeTransform = adobeTransform(reader);
        return switch (raster.getNumBands()) {
            case 1 -> fromBands(raster, ColorModel.GRAY);
            case 3 -> fromBands(raster, adobeTransform == 0 ? ColorModel.RGB : ColorModel.YCBCR);
            case 4 -> fromBands(raster, adobeTransform == 2 ? ColorModel.YCCK : ColorModel.CMYK);
            default -> throw RekognitionException.invalidImageFormat("Request has unsupported image format: a JPEG "
                    + "with " + raster.getNumBands() + " colour components");
        };
    }

    private static BufferedImage readRgbUnchecked(ImageReader reader, ImageReadParam param, String format) {
        try {
            return readRgb(reader, param, format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private enum ColorModel { GRAY, RGB, YCBCR, CMYK, YCCK }

    /** The Adobe APP14 colour transform (0 none, 1 YCbCr, 2 YCCK), or -1 without an Adobe segment. */
    private static int adobeTransform(ImageReader reader) {
        try {
            javax.imageio.metadata.IIOMetadata metadata = reader.getImageMetadata(0);
            org.w3c.dom.Node root = metadata.getAsTree("javax_imageio_jpeg_image_1.0");
            org.w3c.dom.NodeList adobe = ((org.w3c.dom.Element) root).getElementsByTagName("app14Adobe");
            if (adobe.getLength() > 0) {
                org.w3c.dom.Node transform = adobe.item(0).getAttributes().getNamedItem("transform");
                return transform == null ? -1 : Integer.parseInt(transform.getNodeValue());
            }
        } catch (IOException | RuntimeException ignored) {
            // no readable Adobe segment
        }
        return -1;
    }

    // YCbCr to RGB in fixed point, as libjpeg does it (16 fractional bits).
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (int) Math.round(1.402 * 65536) * x + 32768 >> 16;
            CB_B[i] = (int) Math.round(1.772 * 65536) * x + 32768 >> 16;
            CR_G[i] = -(int) Math.round(0.714136 * 65536) * x;
            CB_G[i] = -(int) Math.round(0.344136 * 65536) * x + 32768;
        }
    }

    private static BufferedImage fromBands(Raster raster, ColorModel model) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] out = ((java.awt.image.DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            int o = y * w;
            switch (model) {
                case GRAY -> {
                    for (int x = 0; x < w; x++) {
                        int v = row[x];
                        out[o + x] = (v << 16) | (v << 8) | v;
                    }
                }
                case RGB -> {
                    for (int x = 0, i = 0; x < w; x++, i += 3) {
                        out[o + x] = (row[i] << 16) | (row[i + 1] << 8) | row[i + 2];
                    }
                }
                case YCBCR -> {
                    for (int x = 0, i = 0; x < w; x++, i += 3) {
                        out[o + x] = ycc(row[i], row[i + 1], row[i + 2]);
                    }
                }
                default -> {
                    // Adobe CMYK stores (255 - ink); YCCK stores C, M, Y that way after a YCbCr transform.
                    for (int x = 0, i = 0; x < w; x++, i += 4) {
                        int cmy = model == ColorModel.YCCK ? ycc(row[i], row[i + 1], row[i + 2])
                                : (row[i] << 16) | (row[i + 1] << 8) | row[i + 2];
                        int k = row[i + 3];
                        int r = (((cmy >> 16) & 0xff) * k + 127) / 255;
                        int g = (((cmy >> 8) & 0xff) * k + 127) / 255;
                        int b = ((cmy & 0xff) * k + 127) / 255;
                        out[o + x] = (r << 16) | (g << 8) | b;
                    }
                }
            }
        }
        return rgb;
    }

    private static int ycc(int y, int cb, int cr) {
        int r = clampByte(y + CR_R[cr]);
        int g = clampByte(y + (CB_G[cb] + CR_G[cr] >> 16));
        int b = clampByte(y + CB_B[cb]);
        return (r << 16) | (g << 8) | b;
    }

    private static int clampByte(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
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
