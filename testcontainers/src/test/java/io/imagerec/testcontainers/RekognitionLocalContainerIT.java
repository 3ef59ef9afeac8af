package io.imagerec.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsFeatureName;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.Label;
import software.amazon.awssdk.services.rekognition.model.RekognitionException;

/** The engine's image with the unmodified AWS SDK, as a user's test would use it. */
@RequiresImages(ImagerecImages.REKOGNITION_LOCAL)
class RekognitionLocalContainerIT {

    static RekognitionLocalContainer engine;

    @BeforeAll
    static void start() {
        engine = new RekognitionLocalContainer();
        long t0 = System.nanoTime();
        engine.start();
        System.out.printf("rekognition-local container ready in %.1f s at %s%n", (System.nanoTime() - t0) / 1e9,
                engine.endpoint());
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.stop();
        }
    }

    static RekognitionClient client(String secret) {
        return RekognitionClient.builder()
                .endpointOverride(engine.endpoint())
                .region(Region.of(engine.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(engine.accessKeyId(), secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void detectLabelsFindsTheDogInTheSamplePhoto() throws Exception {
        Path dog = DockerRequirement.sample("objects/dog.jpg").orElse(null);
        Assumptions.assumeTrue(dog != null, "Skipped: no ../shared/testdata/objects/dog.jpg beside the clone");
        byte[] photo = Files.readAllBytes(dog);
        try (RekognitionClient rekognition = client(engine.secretAccessKey())) {
            DetectLabelsResponse answer = rekognition.detectLabels(r -> r.minConfidence(55f)
                    .image(i -> i.bytes(SdkBytes.fromByteArray(photo))));
            System.out.println("DetectLabels(dog.jpg): " + answer.labels().stream()
                    .map(l -> l.name() + " " + Math.round(l.confidence())).toList());
            Label label = answer.labels().stream().filter(l -> l.name().equals("Dog")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Dog in " + answer.labels()));
            assertTrue(label.confidence() >= 55f, label.toString());
            assertTrue(label.hasInstances() && !label.instances().isEmpty(), "Dog has a bounding box");
        }
    }

    @Test
    void detectLabelsAnswersAPictureMadeInTheTest() throws Exception {
        BufferedImage picture = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(new Color(40, 90, 200));
        g.fillRect(0, 0, 320, 240);
        g.setColor(Color.WHITE);
        g.fillOval(100, 60, 120, 120);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(picture, "jpg", jpeg);
        try (RekognitionClient rekognition = client(engine.secretAccessKey())) {
            DetectLabelsResponse answer = rekognition.detectLabels(r -> r
                    .features(DetectLabelsFeatureName.GENERAL_LABELS, DetectLabelsFeatureName.IMAGE_PROPERTIES)
                    .image(i -> i.bytes(SdkBytes.fromByteArray(jpeg.toByteArray()))));
            assertNotNull(answer.labelModelVersion(), "LabelModelVersion");
            assertNotNull(answer.imageProperties(), "ImageProperties asked for");
            assertTrue(answer.imageProperties().hasDominantColors() && !answer.imageProperties().dominantColors().isEmpty(),
                    "dominant colours of " + answer.imageProperties());
            System.out.println("DetectLabels(made here): labels " + answer.labels().size() + ", dominant colours "
                    + answer.imageProperties().dominantColors().stream().map(c -> c.simplifiedColor()).toList());
        }
    }

    @Test
    void aRequestSignedWithAnotherSecretIsRefused() {
        try (RekognitionClient rekognition = client("not-the-secret")) {
            RekognitionException refused = assertThrows(RekognitionException.class,
                    () -> rekognition.detectLabels(r -> r.image(i -> i.bytes(SdkBytes.fromByteArray(new byte[] {1})))));
            assertEquals(403, refused.statusCode(), refused.toString());
            assertEquals("InvalidSignatureException", refused.awsErrorDetails().errorCode());
        }
    }
}
