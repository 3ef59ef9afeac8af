package io.imagerec.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

/** Small real images for the tests, and what a body's first bytes say it is. */
final class ImageBytes {

    private ImageBytes() {
    }

    static byte[] image(String format, int seed) throws IOException {
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(Math.floorMod(seed * 37, 256), Math.floorMod(seed * 91, 256), Math.floorMod(seed * 13, 256)));
        g.fillRect(0, 0, 96, 96);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    static String type(byte[] body) {
        return Hashes.sniff(body, Math.min(body.length, 8));
    }
}
