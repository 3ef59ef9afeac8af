package io.imagerec.e2e;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Image bytes for the hostile corpus, all generated here: valid small JPEGs and PNGs (the JDK's own
 * encoders, or PNG chunk by chunk with real CRCs and zlib streams), and from them truncated, corrupt,
 * polyglot, bomb and odd-but-valid variants. Deterministic: the same bytes on every run.
 */
final class HostileImages {

    static final int BOMB = 50_000;

    private HostileImages() {
    }

    // ---- valid images ----

    /** A baseline JPEG, a gradient of {@code w} x {@code h}. */
    static byte[] jpeg(int w, int h) {
        return encodeJpeg(gradient(w, h), false);
    }

    static byte[] progressiveJpeg(int w, int h) {
        return encodeJpeg(gradient(w, h), true);
    }

    /** A 4-component (CMYK) JPEG with Adobe's APP14 marker, as Photoshop writes them. */
    static byte[] cmykJpeg(int w, int h) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {x * 255 / w, y * 255 / h, 128, 30});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        // "Adobe", version 100, flags 0 and 0, transform 0 (CMYK, not YCCK).
        byte[] adobe = segment(0xEE, concat("Adobe".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 100, 0, 0, 0, 0, 0}));
        return insertAfterSoi(out.toByteArray(), adobe);
    }

    /** An 8-bit RGB PNG through the JDK's encoder. */
    static byte[] png(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(gradient(w, h), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG written chunk by chunk: 16 bits per channel RGB. */
    static byte[] png16(int w, int h) {
        return Png.of(w, h, 16, 2, false).build();
    }

    /** A palette PNG (colour type 3) with 16 colours. */
    static byte[] palettePng(int w, int h) {
        byte[] palette = new byte[16 * 3];
        for (int i = 0; i < 16; i++) {
            palette[i * 3] = (byte) (i * 16);
            palette[i * 3 + 1] = (byte) (255 - i * 16);
            palette[i * 3 + 2] = (byte) 90;
        }
        return Png.of(w, h, 8, 3, false).palette(palette).pixels(i -> (byte) (i % 16)).build();
    }

    /** An Adam7-interlaced 8-bit RGBA PNG. */
    static byte[] interlacedPng(int w, int h) {
        return Png.of(w, h, 8, 6, true).build();
    }

    // ---- bombs: a few KB that declare 50,000 x 50,000 pixels ----

    /** 8-bit grey, 2.5 GB of pixels, of which a few MB of zero rows are in a few KB of zlib. */
    static byte[] pngBomb() {
        return Png.of(BOMB, BOMB, 8, 0, false).rows(80).build();
    }

    /** 16-bit RGBA at 50,000 x 50,000: 20 GB of pixels. */
    static byte[] pngBombRgba16() {
        return Png.of(BOMB, BOMB, 16, 6, false).rows(8).build();
    }

    /** 2^31-1 x 1, the largest width PNG allows. */
    static byte[] pngWidest() {
        return Png.of(Integer.MAX_VALUE, 1, 8, 0, false).rows(0).idat(zlib(new byte[4096])).build();
    }

    /** A valid small baseline JPEG whose SOF0 says 50,000 x 50,000. */
    static byte[] jpegBomb() {
        return withDimensions(jpeg(64, 64), BOMB, BOMB);
    }

    /** A progressive JPEG declaring 65,500 x 65,500: progressive decoders keep every coefficient. */
    static byte[] progressiveJpegBomb() {
        return withDimensions(progressiveJpeg(64, 64), 65_500, 65_500);
    }

    static byte[] pngZeroSize() {
        return Png.of(0, 0, 8, 2, false).rows(0).idat(zlib(new byte[0])).build();
    }

    // ---- truncated and corrupt ----

    static byte[] jpegSoiOnly() {
        return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    }

    static byte[] truncated(byte[] image, double fraction) {
        return Arrays.copyOf(image, Math.max(4, (int) (image.length * fraction)));
    }

    /** The JPEG up to its first scan's header: frame and tables, no entropy-coded data. */
    static byte[] jpegWithoutScan(byte[] jpeg) {
        int sos = marker(jpeg, 0xDA);
        return Arrays.copyOf(jpeg, sos + 2 + ((jpeg[sos + 2] & 0xff) << 8 | (jpeg[sos + 3] & 0xff)));
    }

    /** Entropy-coded data overwritten with noise (no 0xFF, so markers stay where they are). */
    static byte[] jpegNoisyScan(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int start = marker(b, 0xDA) + 2 + ((b[marker(b, 0xDA) + 2] & 0xff) << 8 | (b[marker(b, 0xDA) + 3] & 0xff));
        Random random = new Random(11);
        for (int i = start; i < b.length - 2; i++) {
            b[i] = (byte) random.nextInt(0xFF);
        }
        return b;
    }

    /** The first quantisation table's segment claims 65,535 bytes. */
    static byte[] jpegOverlongSegment(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int dqt = marker(b, 0xDB);
        b[dqt + 2] = (byte) 0xFF;
        b[dqt + 3] = (byte) 0xFF;
        return b;
    }

    /** A segment length of 0, shorter than the two bytes of the length itself. */
    static byte[] jpegZeroLengthSegment(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int dqt = marker(b, 0xDB);
        b[dqt + 2] = 0;
        b[dqt + 3] = 0;
        return b;
    }

    /** A frame header with 0 x 0 pixels and 255 components. */
    static byte[] jpegBadFrame(byte[] jpeg) {
        byte[] b = withDimensions(jpeg, 0, 0);
        b[marker(b, 0xC0) + 9] = (byte) 255;
        return b;
    }

    static byte[] pngSignatureOnly() {
        return Arrays.copyOf(Png.SIGNATURE, 8);
    }

    static byte[] pngBadCrc(byte[] png) {
        byte[] b = png.clone();
        b[29] ^= 0x55; // IHDR's CRC: 8 signature + 4 length + 4 type + 13 data
        return b;
    }

    static byte[] pngBadZlib(int w, int h) {
        byte[] noise = new byte[2048];
        new Random(7).nextBytes(noise);
        return Png.of(w, h, 8, 2, false).idat(noise).build();
    }

    static byte[] pngWithoutIend(byte[] png) {
        return Arrays.copyOf(png, png.length - 12);
    }

    /** Bit depth 7 with colour type 5: neither exists. */
    static byte[] pngInvalidHeader() {
        return Png.of(32, 32, 7, 5, false).rows(0).idat(zlib(new byte[64])).build();
    }

    /** A chunk after IHDR whose length is 2^31-1. */
    static byte[] pngHugeChunk(int w, int h) {
        byte[] valid = Png.of(w, h, 8, 2, false).build();
        byte[] huge = ByteBuffer.allocate(12).putInt(Integer.MAX_VALUE).put("tEXt".getBytes(StandardCharsets.US_ASCII))
                .putInt(0).array();
        return concat(Arrays.copyOf(valid, 33), huge, Arrays.copyOfRange(valid, 33, valid.length));
    }

    /** A palette image without its PLTE chunk, and indices past any palette. */
    static byte[] paletteWithoutPlte(int w, int h) {
        return Png.of(w, h, 8, 3, false).pixels(i -> (byte) 200).build();
    }

    // ---- EXIF ----

    /** APP1 Exif whose first IFD is at offset 0xFFFFFFF0. */
    static byte[] exifOffsetOutOfRange(byte[] jpeg) {
        ByteBuffer tiff = ByteBuffer.allocate(8).put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42)
                .putInt(0xFFFFFFF0);
        return insertAfterSoi(jpeg, exif(tiff.array()));
    }

    /**
     * IFD0 whose next IFD is itself and whose Exif and GPS pointers point back at it: a reader that follows
     * offsets without remembering them never ends.
     */
    static byte[] exifLoop(byte[] jpeg) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 4 * 12 + 4).put("MM".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 42).putInt(8);
        tiff.putShort((short) 4);
        entry(tiff, 0x0112, 3, 1, 0xFFFF << 16); // Orientation 65535
        entry(tiff, 0x8769, 4, 1, 8); // Exif IFD: IFD0 again
        entry(tiff, 0x8825, 4, 1, 8); // GPS IFD: IFD0 again
        entry(tiff, 0xA005, 4, 1, 8); // Interoperability IFD (out of place): IFD0 again
        tiff.putInt(8); // next IFD: itself
        return insertAfterSoi(jpeg, exif(tiff.array()));
    }

    /** IFD0 claiming 65,535 entries, one of them ASCII with 2^31-1 characters at offset 2^31. */
    static byte[] exifHugeCounts(byte[] jpeg) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 2 * 12 + 4).put("II".getBytes(StandardCharsets.US_ASCII))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort((short) 42).putInt(8);
        tiff.putShort((short) 0xFFFF);
        tiff.putShort((short) 0x010E).putShort((short) 2).putInt(Integer.MAX_VALUE).putInt(0x80000000);
        tiff.putShort((short) 0x0111).putShort((short) 4).putInt(0x3FFFFFFF).putInt(0x7FFFFFF0);
        tiff.putInt(0xFFFFFFFF);
        return insertAfterSoi(jpeg, exif(tiff.array()));
    }

    // ---- polyglots and wrong magic ----

    /** A valid JPEG followed by a ZIP archive holding an HTML page: both a JPEG and a ZIP. */
    static byte[] jpegZip(byte[] jpeg) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("../../index.html"));
            out.write(html());
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return concat(jpeg, zip.toByteArray());
    }

    /** A valid JPEG with a script in a comment segment and an HTML page after its end. */
    static byte[] jpegHtml(byte[] jpeg) {
        return concat(insertAfterSoi(jpeg, segment(0xFE, html())), html());
    }

    /** A valid PNG with HTML in a tEXt chunk and after IEND. */
    static byte[] pngHtml(int w, int h) {
        return concat(Png.of(w, h, 8, 2, false).text("Comment", new String(html(), StandardCharsets.UTF_8)).build(),
                html());
    }

    static byte[] html() {
        return "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
                .getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] gif() {
        return concat("GIF89a".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 0, 1, 0, (byte) 0x80, 0, 0, 0, 0, 0,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B});
    }

    static byte[] bmp() {
        ByteBuffer b = ByteBuffer.allocate(58).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(58).putInt(0).putInt(54).putInt(40).putInt(1).putInt(1)
                .putShort((short) 1).putShort((short) 24).putInt(0).putInt(4).putInt(0).putInt(0).putInt(0).putInt(0);
        return b.array();
    }

    static byte[] webp() {
        return concat("RIFF".getBytes(StandardCharsets.US_ASCII), new byte[] {26, 0, 0, 0},
                "WEBPVP8L".getBytes(StandardCharsets.US_ASCII), new byte[] {13, 0, 0, 0, 0x2f, 0, 0, 0, 0x10, 7, 0x10,
                        0x11, 0x11, (byte) 0x88, (byte) 0x88, (byte) 0xfe, 7, 0});
    }

    static byte[] pdf() {
        return "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** An SVG with an external entity and a script. */
    static byte[] svg() {
        return ("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg "
                + "xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text><script>alert(1)</script></svg>")
                        .getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] elf() {
        byte[] b = new byte[256];
        System.arraycopy(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1}, 0, b, 0, 7);
        return b;
    }

    static byte[] zeros(int n) {
        return new byte[n];
    }

    static byte[] noise(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        b[0] = 0x13; // not a JPEG or PNG signature by chance
        return b;
    }

    /** JPEG's signature followed by {@code total - 3} zero bytes. */
    static byte[] jpegMagicPadded(int total) {
        byte[] b = new byte[total];
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        return b;
    }

    // ---- helpers ----

    private static BufferedImage gradient(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 0x60);
            }
        }
        return image;
    }

    private static byte[] encodeJpeg(BufferedImage image, boolean progressive) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The offset of the first marker {@code FF code} after SOI, walking segments. */
    private static int marker(byte[] jpeg, int code) {
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xFF) {
                throw new IllegalArgumentException("not at a marker at " + i);
            }
            int m = jpeg[i + 1] & 0xff;
            if (m == code) {
                return i;
            }
            i += 2 + ((jpeg[i + 2] & 0xff) << 8 | (jpeg[i + 3] & 0xff));
        }
        throw new IllegalArgumentException("no marker " + Integer.toHexString(code));
    }

    /** The frame header's height and width replaced (SOF0 or SOF2). */
    private static byte[] withDimensions(byte[] jpeg, int w, int h) {
        byte[] b = jpeg.clone();
        int sof;
        try {
            sof = marker(b, 0xC0);
        } catch (IllegalArgumentException e) {
            sof = marker(b, 0xC2);
        }
        b[sof + 5] = (byte) (h >> 8);
        b[sof + 6] = (byte) h;
        b[sof + 7] = (byte) (w >> 8);
        b[sof + 8] = (byte) w;
        return b;
    }

    private static byte[] segment(int code, byte[] data) {
        int length = data.length + 2;
        return concat(new byte[] {(byte) 0xFF, (byte) code, (byte) (length >> 8), (byte) length}, data);
    }

    private static byte[] exif(byte[] tiff) {
        return segment(0xE1, concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiff));
    }

    private static void entry(ByteBuffer ifd, int tag, int type, int count, int value) {
        ifd.putShort((short) tag).putShort((short) type).putInt(count).putInt(value);
    }

    private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        return concat(Arrays.copyOf(jpeg, 2), segment, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] zlib(byte[] raw) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A PNG built chunk by chunk, with real CRCs and a zlib stream of its rows (filter 0). */
    static final class Png {

        static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

        private final int width;
        private final int height;
        private final int depth;
        private final int colourType;
        private final boolean interlaced;
        private byte[] palette;
        private String[] text;
        private byte[] idat;
        private int rows = -1;
        private java.util.function.IntFunction<Byte> pixel = i -> (byte) (i * 7);

        private Png(int width, int height, int depth, int colourType, boolean interlaced) {
            this.width = width;
            this.height = height;
            this.depth = depth;
            this.colourType = colourType;
            this.interlaced = interlaced;
        }

        static Png of(int width, int height, int depth, int colourType, boolean interlaced) {
            return new Png(width, height, depth, colourType, interlaced);
        }

        Png palette(byte[] rgb) {
            this.palette = rgb;
            return this;
        }

        Png text(String keyword, String value) {
            this.text = new String[] {keyword, value};
            return this;
        }

        /** The byte at index i of the raw (unfiltered) image data. */
        Png pixels(java.util.function.IntFunction<Byte> pixel) {
            this.pixel = pixel;
            return this;
        }

        /** Only the first {@code n} rows of zeros, compressed (for bombs); the rest is missing. */
        Png rows(int n) {
            this.rows = n;
            return this;
        }

        /** The IDAT content as given, compressed or not. */
        Png idat(byte[] data) {
            this.idat = data;
            return this;
        }

        byte[] build() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(SIGNATURE);
            out.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) depth)
                    .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) (interlaced ? 1 : 0)).array()));
            if (palette != null) {
                out.writeBytes(chunk("PLTE", palette));
            }
            if (text != null) {
                out.writeBytes(chunk("tEXt", (text[0] + "\0" + text[1]).getBytes(StandardCharsets.ISO_8859_1)));
            }
            out.writeBytes(chunk("IDAT", idat != null ? idat : zlib(raw())));
            out.writeBytes(chunk("IEND", new byte[0]));
            return out.toByteArray();
        }

        private int bitsPerPixel() {
            int channels = switch (colourType) {
                case 0, 3 -> 1;
                case 2 -> 3;
                case 4 -> 2;
                case 6 -> 4;
                default -> 1;
            };
            return channels * depth;
        }

        private byte[] raw() {
            if (rows >= 0) {
                long rowBytes = 1 + ((long) width * bitsPerPixel() + 7) / 8;
                return new byte[(int) Math.min(Integer.MAX_VALUE - 16, rowBytes * rows)];
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int[][] passes = interlaced
                    ? new int[][] {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2},
                            {0, 1, 1, 2}}
                    : new int[][] {{0, 0, 1, 1}};
            int i = 0;
            for (int[] p : passes) {
                int pw = (width - p[0] + p[2] - 1) / p[2];
                int ph = (height - p[1] + p[3] - 1) / p[3];
                if (pw <= 0 || ph <= 0) {
                    continue;
                }
                int rowBytes = (pw * bitsPerPixel() + 7) / 8;
                for (int y = 0; y < ph; y++) {
                    out.write(0);
                    for (int x = 0; x < rowBytes; x++) {
                        out.write(pixel.apply(i++));
                    }
                }
            }
            return out.toByteArray();
        }

        static byte[] chunk(String type, byte[] data) {
            byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(typeBytes);
            crc.update(data);
            return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
                    .putInt((int) crc.getValue()).array();
        }
    }
}
