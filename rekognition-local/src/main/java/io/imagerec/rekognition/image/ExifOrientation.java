package io.imagerec.rekognition.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads the EXIF orientation tag (0x0112) of a JPEG without decoding it; 1 when absent or unreadable. */
final class ExifOrientation {

    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    static int read(byte[] jpeg) {
        try {
            int pos = 2;
            while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xff) == 0xFF) {
                int marker = jpeg[pos + 1] & 0xff;
                int length = ((jpeg[pos + 2] & 0xff) << 8) | (jpeg[pos + 3] & 0xff);
                if (marker == 0xDA || length < 2) {
                    return 1; // start of scan: no EXIF before the image data
                }
                int segment = pos + 4;
                if (marker == 0xE1 && length >= 8 && segment + 6 <= jpeg.length
                        && jpeg[segment] == 'E' && jpeg[segment + 1] == 'x' && jpeg[segment + 2] == 'i'
                        && jpeg[segment + 3] == 'f' && jpeg[segment + 4] == 0 && jpeg[segment + 5] == 0) {
                    int tiff = segment + 6;
                    int end = Math.min(jpeg.length, pos + 2 + length);
                    return fromTiff(ByteBuffer.wrap(jpeg, 0, end), tiff);
                }
                pos += 2 + length;
            }
        } catch (RuntimeException e) {
            // a malformed EXIF block is ignored, as image viewers do
        }
        return 1;
    }

    private static int fromTiff(ByteBuffer buf, int tiff) {
        byte b0 = buf.get(tiff);
        buf.order(b0 == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = tiff + buf.getInt(tiff + 4);
        int entries = buf.getShort(ifd) & 0xffff;
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + i * 12;
            if ((buf.getShort(entry) & 0xffff) == TAG_ORIENTATION) {
                int value = buf.getShort(entry + 8) & 0xffff;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }
}
