package io.imagerec.ingest.service;

import java.nio.ByteBuffer;

/** Recognises the image formats Rekognition accepts by their first bytes, whatever the client declared. */
public final class ImageFormats {

    private ImageFormats() {
    }

    /** {@code image/jpeg}, {@code image/png}, or null for anything else. */
    static String sniff(ByteBuffer image) {
        byte[] b = new byte[Math.min(8, image.remaining())];
        image.duplicate().get(b);
        return sniff(b);
    }

    /** {@code image/jpeg}, {@code image/png}, or null for anything else. */
    public static String sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return "image/png";
        }
        return null;
    }
}
