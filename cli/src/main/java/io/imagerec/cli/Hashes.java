package io.imagerec.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 of files and strings, and what a file's first bytes say it is. */
final class Hashes {

    /** A file's digest, its length as read, and its content type by magic number (null when neither JPEG nor PNG). */
    record Content(String sha256, long size, String sniffedType) {
    }

    private Hashes() {
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** Reads the file once, streaming. */
    static Content read(Path file) throws IOException {
        MessageDigest digest = digest();
        byte[] head = new byte[8];
        int headLength = 0;
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (headLength < head.length) {
                    int take = Math.min(n, head.length - headLength);
                    System.arraycopy(buffer, 0, head, headLength, take);
                    headLength += take;
                }
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new Content(HexFormat.of().formatHex(digest.digest()), size, sniff(head, headLength));
    }

    static String sniff(byte[] head, int length) {
        if (length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        if (length >= png.length) {
            for (int i = 0; i < png.length; i++) {
                if (head[i] != png[i]) {
                    return null;
                }
            }
            return "image/png";
        }
        return null;
    }

    /** The type to declare: what the bytes say, else what the name says (the server then refuses it). */
    static String contentType(Path file, String sniffed) {
        if (sniffed != null) {
            return sniffed;
        }
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png"
                : "image/jpeg";
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
