package io.imagerec.rekognition.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.RekognitionException;

class ImageDecoderTest {

    /** 200x100, red in the top-left 20x20 corner, the rest grey. */
    private static BufferedImage marked() {
        BufferedImage image = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                image.setRGB(x, y, x < 20 && y < 20 ? 0xFF0000 : 0x808080);
            }
        }
        return image;
    }

    /** Stores the upright picture the way a camera with EXIF orientation {@code o} would have. */
    private static BufferedImage storedAs(BufferedImage upright, int o) {
        int w = upright.getWidth();
        int h = upright.getHeight();
        boolean swap = o >= 5;
        BufferedImage stored = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx;
                int sy;
                switch (o) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = w - 1 - x; }
                    case 7 -> { sx = h - 1 - y; sy = w - 1 - x; }
                    case 8 -> { sx = h - 1 - y; sy = x; }
                    default -> { sx = x; sy = y; }
                }
                stored.setRGB(sx, sy, upright.getRGB(x, y));
            }
        }
        return stored;
    }

    @Test
    void everyExifOrientationComesBackUpright() {
        BufferedImage upright = marked();
        for (int o = 1; o <= 8; o++) {
            BufferedImage restored = ImageDecoder.orient(storedAs(upright, o), o);
            assertEquals(200, restored.getWidth(), "orientation " + o);
            assertEquals(100, restored.getHeight(), "orientation " + o);
            assertEquals(0xFF0000, restored.getRGB(5, 5) & 0xFFFFFF, "top-left corner, orientation " + o);
            assertEquals(0x808080, restored.getRGB(195, 95) & 0xFFFFFF, "bottom-right corner, orientation " + o);
        }
    }

    @Test
    void exifOrientationIsReadFromTheJpegAndApplied() {
        byte[] jpeg = TestImages.encode(storedAs(marked(), 6), "jpg");
        byte[] withExif = insertExifOrientation(jpeg, 6);
        assertEquals(6, ExifOrientation.read(withExif));
        DecodedImage decoded = ImageDecoder.decode(withExif, ImageLimits.DETECT_LABELS);
        assertEquals(200, decoded.width());
        assertEquals(100, decoded.height());
        int corner = decoded.pixels().getRGB(5, 5);
        assertEquals(true, ((corner >> 16) & 0xff) > 200 && ((corner >> 8) & 0xff) < 60, Integer.toHexString(corner));
    }

    @Test
    void grayscaleAndPalettePngsDecodeToRgb() {
        BufferedImage gray = new BufferedImage(120, 90, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals(BufferedImage.TYPE_INT_RGB,
                ImageDecoder.decode(TestImages.encode(gray, "png"), ImageLimits.DETECT_LABELS).pixels().getType());
        BufferedImage indexed = new BufferedImage(120, 90, BufferedImage.TYPE_BYTE_INDEXED);
        assertEquals(BufferedImage.TYPE_INT_RGB,
                ImageDecoder.decode(TestImages.encode(indexed, "png"), ImageLimits.DETECT_LABELS).pixels().getType());
    }

    /**
     * A four-component JPEG in Adobe's convention (inverted ink values): left half pure red
     * (C 0, M 255, Y 255, K 0), right half pure blue (C 255, M 255, Y 0, K 0).
     */
    @Test
    void cmykJpegsDecodeToTheirRgbColours() throws Exception {
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 160, 120, 4, null);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int[] ink = x < 80 ? new int[] {0, 255, 255, 0} : new int[] {255, 255, 0, 0};
                raster.setPixel(x, y, new int[] {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]});
            }
        }
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = javax.imageio.ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            writer.write(null, new javax.imageio.IIOImage(raster, null, null), param);
        } finally {
            writer.dispose();
        }
        DecodedImage decoded = ImageDecoder.decode(out.toByteArray(), ImageLimits.DETECT_LABELS);
        int left = decoded.pixels().getRGB(40, 60);
        int right = decoded.pixels().getRGB(120, 60);
        assertEquals(true, ((left >> 16) & 0xff) > 220 && ((left >> 8) & 0xff) < 35 && (left & 0xff) < 35,
                Integer.toHexString(left));
        assertEquals(true, ((right >> 16) & 0xff) < 35 && ((right >> 8) & 0xff) < 35 && (right & 0xff) > 220,
                Integer.toHexString(right));
    }

    @Test
    void largeImagesAreSubsampledWhileKeepingTheirSize() {
        byte[] png = TestImages.encode(TestImages.twoColors(4000, 3000, Color.RED, Color.BLUE), "png");
        DecodedImage decoded = ImageDecoder.decode(png, ImageLimits.DETECT_LABELS);
        assertEquals(4000, decoded.width());
        assertEquals(3000, decoded.height());
        assertEquals(true, decoded.pixels().getWidth() <= 2 * ImageLimits.DETECT_LABELS.decodeSide());
    }

    @Test
    void formatsAreSniffedByMagicBytes() {
        assertEquals("JPEG", ImageDecoder.sniffFormat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
        assertEquals("PNG", ImageDecoder.sniffFormat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}));
        assertNull(ImageDecoder.sniffFormat("GIF89a".getBytes()));
        RekognitionException e = assertThrows(RekognitionException.class,
                () -> ImageDecoder.decode("GIF89a....".getBytes(), ImageLimits.DETECT_LABELS));
        assertEquals("InvalidImageFormatException", e.type());
    }

    /** Inserts an APP1 Exif segment with one IFD0 entry (orientation) right after SOI. */
    static byte[] insertExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(ByteOrder.BIG_ENDIAN);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        byte[] exif = tiff.array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = 2 + 6 + exif.length;
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xff);
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(exif);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
