package io.imagerec.rekognition.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The engine through another real client than the Java SDK: the AWS CLI (botocore, with its own copy of
 * Rekognition's service model), as a user would call it with {@code --endpoint-url}. Skipped, with the
 * reason, where no {@code aws} command is installed.
 */
@QuarkusTest
class AwsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsTheCli() {
        boolean found = false;
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(entry, "aws"));
        }
        Assumptions.assumeTrue(found, "the aws command is not installed: the AWS CLI checks are skipped");
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    private static Run aws(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "rekognition"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", RekognitionClients.endpoint().toString(), "--region", "us-east-1",
                "--output", "json", "--cli-read-timeout", "60"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", TestCloud.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", TestCloud.SECRET_KEY);
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put("AWS_MAX_ATTEMPTS", "1");
        Path out = Files.createTempFile(dir, "out", ".json");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String imageFile(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return "fileb://" + file;
    }

    @Test
    void detectModerationLabelsAnswersAsRekognitionDoes() throws Exception {
        Run run = aws("detect-moderation-labels", "--image-bytes", imageFile("sign.png",
                GeneratedImages.text("NO PARKING HERE")), "--min-confidence", "50");
        assertEquals(0, run.exit(), run.err());
        JsonNode answer = run.json();
        assertTrue(answer.path("ModerationLabels").isArray(), answer.toString());
        assertEquals(0, answer.path("ModerationLabels").size(), "a plain sign is not flagged: " + answer);
        assertTrue(answer.path("ModerationModelVersion").isTextual(), answer.toString());
    }

    @Test
    void detectLabelsAndDetectFacesAnswerThroughTheCli() throws Exception {
        Run labels = aws("detect-labels", "--image-bytes", imageFile("plain.jpg", GeneratedImages.jpeg(200, 150)),
                "--max-labels", "5");
        assertEquals(0, labels.exit(), labels.err());
        assertTrue(labels.json().path("Labels").isArray(), labels.out());
        assertTrue(labels.json().path("LabelModelVersion").isTextual(), labels.out());
        Run faces = aws("detect-faces", "--image-bytes", imageFile("plain2.jpg", GeneratedImages.jpeg(200, 150)),
                "--attributes", "ALL");
        assertEquals(0, faces.exit(), faces.err());
        assertEquals(0, faces.json().path("FaceDetails").size(), faces.out());
    }

    @Test
    void badInputGetsRekognitionsErrorCodeInTheCli() throws Exception {
        Run run = aws("detect-moderation-labels", "--image-bytes",
                imageFile("not-an-image.jpg", "this is text, not a picture".getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(0, run.exit(), run.out());
        assertTrue(run.err().contains("InvalidImageFormatException"), run.err());
        Run range = aws("detect-moderation-labels", "--image-bytes", imageFile("ok.jpg", GeneratedImages.jpeg(64, 64)),
                "--min-confidence", "101");
        assertNotEquals(0, range.exit(), range.out());
        assertTrue(range.err().contains("InvalidParameterException") || range.err().contains("ParamValidation"),
                range.err());
    }
}
