package io.imagerec.rekognition.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.model.DetectTextResponse;
import software.amazon.awssdk.services.rekognition.model.TextTypes;

/**
 * DetectText on the real photos and scans of ../shared/testdata against their transcriptions, through
 * the real AWS SDK client; prints the character error rates. Skipped where the folder is absent.
 */
@QuarkusTest
class DetectTextOnSampleImagesTest extends SdkClientTest {

    /** The clear printed English lines: the English scan, and the English half of the multilingual one. */
    private static final Map<String, Integer> PRINTED_ENGLISH = Map.of("text/phototest.png", 8, "text/eurotext.png", 4);

    private static List<String> lines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        DetectTextResponse response = rekognition.detectText(r -> r.image(i -> i.bytes(SdkBytes.fromByteArray(bytes))));
        List<String> lines = new ArrayList<>();
        response.textDetections().stream().filter(t -> t.type() == TextTypes.LINE)
                .forEach(t -> lines.add(t.detectedText()));
        return lines;
    }

    @Test
    void printedEnglishIsReadWithFewErrors() throws IOException {
        Path testdata = TestImages.testdata();
        JsonNode manifest = new ObjectMapper().readTree(testdata.resolve("manifest.json").toFile());
        CharacterErrorRate printed = new CharacterErrorRate();
        CharacterErrorRate all = new CharacterErrorRate();
        Map<String, String> perImage = new TreeMap<>();
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            if (!entry.has("text_lines") || !file.startsWith("text/")) {
                continue;
            }
            List<String> detected = lines(testdata.resolve(file));
            boolean ignoreCase = file.contains("scenetext06");
            CharacterErrorRate image = new CharacterErrorRate();
            int index = 0;
            for (JsonNode line : entry.path("text_lines")) {
                image.add(line.asText(), detected, ignoreCase);
                all.add(line.asText(), detected, ignoreCase);
                if (index++ < PRINTED_ENGLISH.getOrDefault(file, 0)) {
                    printed.add(line.asText(), detected, ignoreCase);
                }
            }
            perImage.put(file, String.format("%.1f%%", 100 * image.rate()));
        }
        System.out.printf("DetectText CER: printed English %.2f%% (%d chars), all text_lines %.2f%% (%d chars); %s%n",
                100 * printed.rate(), printed.characters, 100 * all.rate(), all.characters, perImage);
        assertTrue(printed.characters > 0);
        assertTrue(printed.rate() <= 0.05, "printed English CER " + printed.rate());
    }

    @Test
    void photosWithoutTextGetNoText() throws IOException {
        Path testdata = TestImages.testdata();
        for (String file : List.of("objects/eagle.jpg", "objects/giraffe.jpg", "objects/horses.jpg",
                "objects/robin.jpg", "faces/obama.jpg")) {
            assertEquals(List.of(), lines(testdata.resolve(file)), file);
        }
    }
}
