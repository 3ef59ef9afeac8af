package io.imagerec.testsupport;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Images the tests make themselves, so they run where no sample photos are beside the clone. */
public final class GeneratedImages {

    private GeneratedImages() {
    }

    /** Two colour fields with a diagonal stripe: no objects in it. */
    public static byte[] jpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40, 120, 200));
        g.fillRect(0, 0, width, height / 2);
        g.setColor(new Color(230, 220, 180));
        g.fillRect(0, height / 2, width, height - height / 2);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(0, 0, width, height);
        g.dispose();
        return encode(image, "jpg");
    }

    /** Black words on white, large enough to read. */
    public static byte[] text(String words) {
        BufferedImage image = new BufferedImage(800, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 800, 300);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 56));
        g.drawString(words, 60, 170);
        g.dispose();
        return encode(image, "png");
    }

    public static byte[] encode(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
