package io.imagerec.rekognition.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.rekognition.model.ContentType;
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.ImageTooLargeException;
import software.amazon.awssdk.services.rekognition.model.InvalidImageFormatException;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.InvalidS3ObjectException;
import software.amazon.awssdk.services.rekognition.model.ModerationLabel;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;

/** DetectModerationLabels through the real AWS SDK v2 client: shapes, filtering, errors, and the sample images. */
@QuarkusTest
@QuarkusTestResource(LocalCloudResource.class)
class DetectModerationLabelsTest extends SdkClientTest {

    private static Image bytes(byte[] data) {
        return Image.builder().bytes(SdkBytes.fromByteArray(data)).build();
    }

    private static byte[] generated() {
        return TestImages.encode(TestImages.twoColors(400, 300, new Color(230, 190, 160), new Color(40, 60, 200)), "png");
    }

    @Test
    void everyLabelComesWithItsParentAndTheShapeRekognitionUses() {
        DetectModerationLabelsResponse all = rekognition.detectModerationLabels(r -> r.image(bytes(generated()))
                .minConfidence(0f));
        assertEquals("7.0", all.moderationModelVersion());
        assertNull(all.humanLoopActivationOutput());
        assertNull(all.projectVersion());
        List<ModerationLabel> labels = all.moderationLabels();
        assertEquals(4, labels.size(), labels::toString);
        for (ModerationLabel label : labels) {
            assertTrue(label.confidence() >= 0 && label.confidence() <= 100, label.toString());
            if (label.taxonomyLevel() == 1) {
                assertEquals("", label.parentName());
            } else {
                assertEquals(2, label.taxonomyLevel(), label.toString());
                ModerationLabel parent = labels.stream().filter(p -> p.name().equals(label.parentName()))
                        .findFirst().orElseThrow(() -> new AssertionError("no parent for " + label));
                assertEquals(1, parent.taxonomyLevel());
                assertEquals(label.confidence(), parent.confidence(), 1e-4);
            }
        }
        assertEquals(List.of("Explicit", "Explicit Nudity", "Non-Explicit Nudity",
                "Non-Explicit Nudity of Intimate parts and Kissing"),
                labels.stream().map(ModerationLabel::name).sorted().toList());
        for (int i = 1; i < labels.size(); i++) {
            assertTrue(labels.get(i - 1).confidence() >= labels.get(i).confidence(), "most confident first");
        }
        assertEquals(List.of("Illustrated"), all.contentTypes().stream().map(ContentType::name).toList());
    }

    @Test
    void minConfidenceDropsLessConfidentLabels() {
        byte[] png = generated();
        List<ModerationLabel> all = rekognition.detectModerationLabels(r -> r.image(bytes(png)).minConfidence(0f))
                .moderationLabels();
        float cut = (all.get(0).confidence() + all.get(all.size() - 1).confidence()) / 2;
        DetectModerationLabelsResponse some = rekognition.detectModerationLabels(r -> r.image(bytes(png))
                .minConfidence(cut));
        assertTrue(some.moderationLabels().size() < all.size(), some.toString());
        some.moderationLabels().forEach(l -> assertTrue(l.confidence() >= cut, l.toString()));
        some.contentTypes().forEach(c -> assertTrue(c.confidence() >= cut, c.toString()));
        DetectModerationLabelsResponse byDefault = rekognition.detectModerationLabels(r -> r.image(bytes(png)));
        byDefault.moderationLabels().forEach(l -> assertTrue(l.confidence() >= 50f, l.toString()));
    }

    @Test
    void badInputIsRefusedAsRekognitionRefusesIt() {
        assertThrows(InvalidImageFormatException.class,
                () -> rekognition.detectModerationLabels(r -> r.image(bytes("not an image at all".getBytes()))));
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        assertThrows(ImageTooLargeException.class, () -> rekognition.detectModerationLabels(r -> r.image(bytes(big))));
        byte[] tiny = TestImages.encode(TestImages.twoColors(40, 40, Color.RED, Color.GREEN), "png");
        assertThrows(InvalidParameterException.class,
                () -> rekognition.detectModerationLabels(r -> r.image(bytes(tiny))));
        byte[] png = generated();
        assertThrows(InvalidParameterException.class,
                () -> rekognition.detectModerationLabels(r -> r.image(bytes(png)).minConfidence(101f)));
        assertThrows(InvalidParameterException.class, () -> rekognition.detectModerationLabels(r -> r.image(bytes(png))
                .humanLoopConfig(h -> h.humanLoopName("Not_Valid").flowDefinitionArn("arn:aws:sagemaker:us-east-1:"
                        + "123456789012:flow-definition/review"))));
        assertThrows(ResourceNotFoundException.class, () -> rekognition.detectModerationLabels(r -> r.image(bytes(png))
                .projectVersion("arn:aws:rekognition:us-east-1:123456789012:project/mod/version/adapter/1")));
    }

    @Test
    void aHumanLoopConfigIsAcceptedAndNoReviewIsStarted() {
        DetectModerationLabelsResponse response = rekognition.detectModerationLabels(r -> r.image(bytes(generated()))
                .humanLoopConfig(h -> h.humanLoopName("review-1")
                        .flowDefinitionArn("arn:aws:sagemaker:us-east-1:123456789012:flow-definition/review")
                        .dataAttributes(d -> d.contentClassifiersWithStrings("FreeOfPersonallyIdentifiableInformation"))));
        assertNull(response.humanLoopActivationOutput());
        assertEquals("7.0", response.moderationModelVersion());
    }

    @Test
    void imagesAreReadFromS3() {
        TestCloud cloud = LocalCloudResource.cloud();
        cloud.s3Client().putObject(b -> b.bucket(TestCloud.BUCKET).key("moderation-test/two.png"),
                RequestBody.fromBytes(generated()));
        DetectModerationLabelsResponse response = rekognition.detectModerationLabels(r -> r.image(Image.builder()
                .s3Object(o -> o.bucket(TestCloud.BUCKET).name("moderation-test/two.png")).build()).minConfidence(0f));
        assertEquals(4, response.moderationLabels().size());
        assertThrows(InvalidS3ObjectException.class, () -> rekognition.detectModerationLabels(r -> r.image(
                Image.builder().s3Object(o -> o.bucket(TestCloud.BUCKET).name("moderation-test/missing.png")).build())));
    }

    /**
     * Every sample image is an ordinary photo except objects/scream.jpg, a painting: no moderation label
     * at the default MinConfidence on any of them, and Illustrated on the painting alone.
     */
    @Test
    void sampleImagesAreSafeAndThePaintingIsIllustrated() throws IOException {
        Path testdata = TestImages.testdata();
        JsonNode manifest = new ObjectMapper().readTree(testdata.resolve("manifest.json").toFile());
        Map<String, String> report = new TreeMap<>();
        List<String> flagged = new ArrayList<>();
        List<String> illustrated = new ArrayList<>();
        float worst = 0;
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            byte[] image = Files.readAllBytes(testdata.resolve(file));
            DetectModerationLabelsResponse all = rekognition.detectModerationLabels(r -> r.image(bytes(image))
                    .minConfidence(0f));
            float top = all.moderationLabels().stream().map(ModerationLabel::confidence).max(Float::compare).orElse(0f);
            float drawn = all.contentTypes().stream().map(ContentType::confidence).findFirst().orElse(0f);
            report.put(file, String.format("moderation %.1f, Illustrated %.1f", top, drawn));
            DetectModerationLabelsResponse byDefault = rekognition.detectModerationLabels(r -> r.image(bytes(image)));
            if (!byDefault.moderationLabels().isEmpty()) {
                flagged.add(file + " " + byDefault.moderationLabels());
            }
            if (!byDefault.contentTypes().isEmpty()) {
                illustrated.add(file);
            }
            worst = Math.max(worst, top);
        }
        report.forEach((file, line) -> System.out.println("DetectModerationLabels " + file + ": " + line));
        System.out.printf("DetectModerationLabels on %d sample images: highest moderation confidence %.1f; "
                + "Illustrated at 50: %s%n", report.size(), worst, illustrated);
        assertTrue(report.size() >= 27, "the manifest lists " + report.size() + " images");
        assertEquals(List.of(), flagged, "moderation labels at MinConfidence 50 on ordinary photos");
        assertEquals(List.of("objects/scream.jpg"), illustrated);
    }
}
