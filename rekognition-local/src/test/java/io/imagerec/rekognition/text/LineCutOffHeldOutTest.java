package io.imagerec.rekognition.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.image.ImageDecoder;
import io.imagerec.rekognition.image.ImageLimits;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The line cut-off ({@link DetectTextService#MIN_LINE_CONFIDENCE}) checked as every fitted threshold is:
 * every region the detector finds on the 27 sample images is read once; a reading is <em>real</em> when
 * it is close to a stretch of the image's transcribed text ({@code text_lines} or {@code text_other},
 * at most one error in three characters) and <em>unexplained</em> otherwise. The cut-off is fitted on
 * the tuning half (most real readings kept minus unexplained ones kept) and the engine's value is
 * checked on the checking half ({@link TestImages#inCheckingHalf}): the figures are printed on every run.
 */
@QuarkusTest
class LineCutOffHeldOutTest {

    @Inject
    DetectTextOperation operation;

    record Scored(String file, String reading, float confidence, boolean real) {
    }

    @Test
    void theCutOffFittedOnTheTuningHalfHoldsOnTheCheckingHalf() throws IOException {
        Path testdata = TestImages.testdata();
        JsonNode manifest = new ObjectMapper().readTree(testdata.resolve("manifest.json").toFile());
        List<String> files = new ArrayList<>();
        manifest.forEach(e -> files.add(e.path("file").asText()));
        List<Scored> tuning = new ArrayList<>();
        List<Scored> checking = new ArrayList<>();
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            List<String> truth = new ArrayList<>();
            entry.path("text_lines").forEach(l -> truth.add(CharacterErrorRate.normalise(l.asText(), true)));
            entry.path("text_other").forEach(l -> truth.add(CharacterErrorRate.normalise(l.asText(), true)));
            var pixels = ImageDecoder.decode(Files.readAllBytes(testdata.resolve(file)), ImageLimits.DETECT_TEXT).pixels();
            for (DetectTextService.BoxReading read : operation.service().readBoxes(pixels)) {
                String reading = CharacterErrorRate.normalise(read.reading().text(), true);
                if (reading.isEmpty()) {
                    continue;
                }
                Scored scored = new Scored(file, reading, 100f * read.reading().meanProbability(), real(reading, truth));
                (TestImages.inCheckingHalf(file, files) ? checking : tuning).add(scored);
            }
        }
        // The fit: the cut-off (whole numbers) that keeps the most real readings net of unexplained ones.
        // Of several equally good, the lowest: it drops the least text the tuning half did not show.
        int best = 0;
        int bestUpTo = 0;
        int bestScore = Integer.MIN_VALUE;
        for (int cut = 0; cut <= 100; cut++) {
            int score = kept(tuning, cut, true) - kept(tuning, cut, false);
            if (score > bestScore) {
                bestScore = score;
                best = cut;
            }
            if (score == bestScore) {
                bestUpTo = cut;
            }
        }
        float engine = DetectTextService.MIN_LINE_CONFIDENCE;
        Map<String, String> report = new TreeMap<>();
        report.put("tuning half at its best cut-offs " + best + "-" + bestUpTo, figures(tuning, best));
        report.put("tuning half at the engine's " + engine, figures(tuning, engine));
        report.put("checking half at the engine's " + engine, figures(checking, engine));
        report.put("checking half with no cut-off", figures(checking, 0));
        System.out.println("DetectText line cut-off: " + report);
        List<Scored> droppedReal = checking.stream().filter(s -> s.real() && s.confidence() < engine).toList();
        System.out.println("DetectText line cut-off, real readings dropped on the checking half: " + droppedReal);

        // The engine's cut-off is the tuning half's fit ...
        assertEquals(best, engine, 0.0, "the engine's cut-off " + engine + " is not the tuning half's fit " + best
                + ": " + report);
        // ... and on the checking half it keeps at least as much net real text as no cut-off at all, and
        // more than 80% of the real readings.
        int net = kept(checking, engine, true) - kept(checking, engine, false);
        assertTrue(net >= kept(checking, 0, true) - kept(checking, 0, false), report.toString());
        assertTrue(kept(checking, engine, true) > 0.8 * kept(checking, 0, true), report.toString());
    }

    private static int kept(List<Scored> readings, float cut, boolean real) {
        return (int) readings.stream().filter(s -> s.real() == real && s.confidence() >= cut).count();
    }

    private static String figures(List<Scored> readings, float cut) {
        return String.format(Locale.ROOT, "%d of %d real kept, %d of %d unexplained kept", kept(readings, cut, true),
                kept(readings, 0, true), kept(readings, cut, false), kept(readings, 0, false));
    }

    /** Close to a stretch of one of the transcribed lines: at most one error in three characters. */
    static boolean real(String reading, List<String> truth) {
        if (reading.length() < 2) {
            return false;
        }
        for (String line : truth) {
            if (CharacterErrorRate.distance(reading, line, true) * 3 <= reading.length()) {
                return true;
            }
        }
        return false;
    }
}
