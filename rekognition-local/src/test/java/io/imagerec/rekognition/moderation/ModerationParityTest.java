package io.imagerec.rekognition.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.image.ImageDecoder;
import io.imagerec.rekognition.model.TfjsGraphModel;

/**
 * The converted InceptionV3 against the real TensorFlow.js: {@code moderation/reference.json} holds the
 * class probabilities TensorFlow.js 4.22.0 (CPU backend) computes for the same input tensors
 * ({@code moderation/generate-reference.js} writes it). Synthetic inputs run everywhere; the sample
 * images where ../shared/testdata is present.
 */
class ModerationParityTest {

    /** Largest difference allowed per class probability (measured: see docs/engine-moderation.md). */
    static final double TOLERANCE = 1e-3;

    private static TfjsGraphModel model;
    private static ContentClassifier classifier;
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        model = TfjsGraphModel.loadBrowserifiedLayers(
                Path.of("models/node_modules/nsfwjs/dist/models/inception_v3/model.min.js"), "nsfw_inception_v3", 0);
        classifier = new ContentClassifier(model);
        try (InputStream in = ModerationParityTest.class.getResourceAsStream("/moderation/reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Must match {@code synthetic(kind)} in generate-reference.js. */
    static float[] synthetic(String kind) {
        int size = ContentClassifier.SIZE;
        float[] v = new float[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    int i = (y * size + x) * 3 + c;
                    v[i] = kind.equals("gradient")
                            ? ((x + 2 * y + 85 * c) % 256) / 255f
                            : ((((x >> 4) + (y >> 4)) % 2) * 200 + ((x * 7 + y * 3 + c * 50) % 56)) / 255f;
                }
            }
        }
        return v;
    }

    @Test
    void syntheticInputsMatchTensorFlowJs() {
        double worst = 0;
        for (String kind : List.of("gradient", "checker")) {
            worst = Math.max(worst, compare(kind, classifier.classify(synthetic(kind))));
        }
        System.out.printf("Moderation parity, synthetic inputs: largest difference %.2e%n", worst);
    }

    @Test
    void sampleImagesMatchTensorFlowJs() throws IOException {
        Path testdata = TestImages.testdata();
        String dump = System.getProperty("moderation.dump-tensors");
        double worst = 0;
        int compared = 0;
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) reference.path("probabilities")::fields) {
            if (e.getKey().contains("/")) {
                float[] input = tensor(testdata.resolve(e.getKey()));
                worst = Math.max(worst, compare(e.getKey(), classifier.classify(input)));
                compared++;
            }
        }
        if (dump != null) {
            Files.createDirectories(Path.of(dump));
            for (String name : SAMPLES) {
                float[] input = tensor(testdata.resolve(name));
                ByteBuffer bytes = ByteBuffer.allocate(input.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(input);
                Files.write(Path.of(dump, name.replace("/", "__") + ".f32"), bytes.array());
            }
        }
        assertTrue(compared >= 4, "reference.json should hold the sample images");
        System.out.printf("Moderation parity, %d sample images: largest difference %.2e%n", compared, worst);
    }

    /** Sample images whose preprocessed tensors go into reference.json. */
    static final List<String> SAMPLES = List.of("objects/scream.jpg", "objects/dog.jpg", "faces/obama.jpg",
            "objects/zidane.jpg", "text/phototest.png");

    private static float[] tensor(Path image) throws IOException {
        DecodedImage decoded = ImageDecoder.decode(Files.readAllBytes(image), DetectModerationLabelsOperation.LIMITS);
        return ContentClassifier.preprocess(decoded.pixels());
    }

    private static double compare(String name, ContentClassifier.Scores scores) {
        JsonNode expected = reference.path("probabilities").path(name);
        assertEquals(5, expected.size(), "reference.json has no " + name);
        float[] actual = scores.toArray();
        List<String> diffs = new ArrayList<>();
        double worst = 0;
        for (int i = 0; i < 5; i++) {
            double d = Math.abs(actual[i] - expected.get(i).asDouble());
            worst = Math.max(worst, d);
            diffs.add(String.format("%.6f vs %.6f", actual[i], expected.get(i).asDouble()));
        }
        assertTrue(worst <= TOLERANCE, name + ": " + diffs);
        return worst;
    }
}
