import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import javax.imageio.ImageIO;

/**
 * Writes the hostile images bench-memory.sh sends: a legal 10,000 x 10,000 JPEG (under 5 MB), a PNG
 * decompression bomb (10,000 x 10,000 white pixels in a few kilobytes) and one whose header claims
 * 50,000 x 50,000 (refused from the header). Usage: java benchmarks/HostileImages.java DIR
 */
public class HostileImages {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        BufferedImage huge = new BufferedImage(10_000, 10_000, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = huge.createGraphics();
        g.setColor(new Color(40, 120, 200));
        g.fillRect(0, 0, 10_000, 5_000);
        g.setColor(new Color(230, 220, 180));
        g.fillRect(0, 5_000, 10_000, 5_000);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(0, 0, 10_000, 10_000);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(huge, "jpg", jpeg);
        Files.write(dir.resolve("huge.jpg"), jpeg.toByteArray());
        Files.write(dir.resolve("bomb.png"), whitePng(10_000, 10_000, 10_000));
        Files.write(dir.resolve("oversized.png"), whitePng(50_000, 50_000, 1));
    }

    /** A white greyscale PNG whose header says width x height, with {@code rows} rows of data. */
    private static byte[] whitePng(int width, int height, int rows) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[width + 1];
            java.util.Arrays.fill(row, (byte) 0xff);
            row[0] = 0;
            for (int y = 0; y < rows; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(png);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
