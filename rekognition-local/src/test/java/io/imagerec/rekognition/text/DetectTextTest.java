package io.imagerec.rekognition.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;
import software.amazon.awssdk.services.rekognition.model.DetectTextResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.TextDetection;
import software.amazon.awssdk.services.rekognition.model.TextTypes;

/** DetectText through the real AWS SDK client, on text rendered here with Java2D. */
@QuarkusTest
class DetectTextTest extends SdkClientTest {

    /** Two lines on white: a bold headline at the top, a sentence below; optionally turned by {@code degrees}. */
    private static Image page(double degrees) {
        BufferedImage image = new BufferedImage(800, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 800, 400);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setTransform(AffineTransform.getRotateInstance(Math.toRadians(degrees), 400, 200));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 48));
        g.drawString("OPEN DAILY 9 TO 5", 60, 120);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 36));
        g.drawString("Fresh bread and coffee", 60, 290);
        g.dispose();
        return Image.builder().bytes(SdkBytes.fromByteArray(TestImages.encode(image, "png"))).build();
    }

    private static List<TextDetection> ofType(DetectTextResponse response, TextTypes type) {
        return response.textDetections().stream().filter(t -> t.type() == type).toList();
    }

    @Test
    void linesAndWordsAreReadAndShapedAsRekognitionShapesThem() {
        DetectTextResponse response = rekognition.detectText(r -> r.image(page(0)));
        assertEquals("3.0", response.textModelVersion());
        List<TextDetection> lines = ofType(response, TextTypes.LINE);
        assertEquals(List.of("OPEN DAILY 9 TO 5", "Fresh bread and coffee"),
                lines.stream().map(TextDetection::detectedText).toList());
        List<TextDetection> words = ofType(response, TextTypes.WORD);
        assertEquals(List.of("OPEN", "DAILY", "9", "TO", "5", "Fresh", "bread", "and", "coffee"),
                words.stream().map(TextDetection::detectedText).toList());
        // Lines first with ids 0..1, then words whose ParentId names their line.
        assertEquals(0, lines.get(0).id());
        assertEquals(1, lines.get(1).id());
        assertNull(lines.get(0).parentId());
        assertEquals(2, words.get(0).id());
        for (TextDetection w : words) {
            TextDetection line = lines.get(w.parentId());
            assertTrue(line.detectedText().contains(w.detectedText()));
            assertInside(w.geometry().boundingBox(), line.geometry().boundingBox());
            assertEquals(4, w.geometry().polygon().size());
            assertTrue(w.confidence() > 80f && w.confidence() <= 100f, w.toString());
        }
        // Reading order along the line.
        assertTrue(words.get(0).geometry().boundingBox().left() < words.get(1).geometry().boundingBox().left());
        BoundingBox headline = lines.get(0).geometry().boundingBox();
        assertTrue(headline.top() > 0.15 && headline.top() < 0.3 && headline.left() > 0.05 && headline.left() < 0.1,
                headline.toString());
    }

    @Test
    void slightlyRotatedLinesAreRead() {
        DetectTextResponse response = rekognition.detectText(r -> r.image(page(8)));
        assertEquals(List.of("OPEN DAILY 9 TO 5", "Fresh bread and coffee"),
                ofType(response, TextTypes.LINE).stream().map(TextDetection::detectedText).toList());
        var polygon = ofType(response, TextTypes.LINE).get(0).geometry().polygon();
        // Turned clockwise by 8 degrees: the top edge's right end is lower than its left.
        assertTrue(polygon.get(1).y() > polygon.get(0).y() + 0.02, polygon.toString());
    }

    @Test
    void upsideDownLinesAreTurnedBeforeReading() {
        DetectTextResponse response = rekognition.detectText(r -> r.image(page(180)));
        // Turned over, the sentence is now above the headline.
        assertEquals(List.of("Fresh bread and coffee", "OPEN DAILY 9 TO 5"),
                ofType(response, TextTypes.LINE).stream().map(TextDetection::detectedText).toList());
    }

    @Test
    void filtersApply() {
        Image page = page(0);
        DetectTextResponse topHalf = rekognition.detectText(r -> r.image(page).filters(f -> f.regionsOfInterest(
                roi -> roi.boundingBox(b -> b.left(0f).top(0f).width(1f).height(0.5f)))));
        assertEquals(List.of("OPEN DAILY 9 TO 5"),
                ofType(topHalf, TextTypes.LINE).stream().map(TextDetection::detectedText).toList());
        // A height between the 36-point sentence's words and the 48-point headline's keeps the headline only.
        List<TextDetection> words = ofType(rekognition.detectText(r -> r.image(page)), TextTypes.WORD);
        float headline = (float) words.subList(0, 5).stream().mapToDouble(w -> w.geometry().boundingBox().height())
                .min().orElseThrow();
        float sentence = (float) words.subList(5, 9).stream().mapToDouble(w -> w.geometry().boundingBox().height())
                .max().orElseThrow();
        assertTrue(headline > sentence, headline + " vs " + sentence);
        DetectTextResponse tall = rekognition.detectText(r -> r.image(page).filters(f -> f.wordFilter(
                w -> w.minBoundingBoxHeight((headline + sentence) / 2))));
        assertEquals(List.of("OPEN", "DAILY", "9", "TO", "5"),
                ofType(tall, TextTypes.WORD).stream().map(TextDetection::detectedText).toList());
        assertThrows(InvalidParameterException.class, () -> rekognition.detectText(r -> r.image(page)
                .filters(f -> f.wordFilter(w -> w.minConfidence(120f)))));
    }

    @Test
    void aBlankPictureHasNoText() {
        Image blank = Image.builder().bytes(SdkBytes.fromByteArray(TestImages.encode(
                TestImages.twoColors(400, 300, Color.WHITE, Color.LIGHT_GRAY), "png"))).build();
        assertEquals(List.of(), rekognition.detectText(r -> r.image(blank)).textDetections());
    }

    private static void assertInside(BoundingBox inner, BoundingBox outer) {
        float slack = 0.01f;
        assertTrue(inner.left() >= outer.left() - slack && inner.top() >= outer.top() - slack
                && inner.left() + inner.width() <= outer.left() + outer.width() + slack
                && inner.top() + inner.height() <= outer.top() + outer.height() + slack,
                inner + " not inside " + outer);
    }
}
