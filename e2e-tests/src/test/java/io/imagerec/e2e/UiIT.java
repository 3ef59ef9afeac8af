package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;

/**
 * The web UI in a real browser: Debian's chromium, headless, driven through playwright-core by
 * {@code e2e-tests/ui/ui-scenario.mjs} against the packaged platform. The page is opened with the
 * operator's key in the fragment, two sample photos are uploaded to ingest (CORS) through the drop zone,
 * both jobs turn SUCCEEDED without a reload, a box is drawn over the detected object, a label narrows
 * the gallery and the detail view shows the JSON; a job answer carrying moderation labels blurs its image
 * until shown. Screenshots: {@code target/ui-screenshots/}.
 * Skipped, with the reason, where chromium or {@code ../shared/testdata} is missing ({@link Prerequisites}).
 */
@ExtendWith(UiIT.Prerequisites.class)
class UiIT {

    /** Photos with one clearly detected object each, and a label the other has not (manifest.json). */
    private static final String FIRST = "objects/dog.jpg";
    private static final String FIRST_LABEL = "Dog";
    private static final String SECOND = "objects/giraffe.jpg";
    private static final String SECOND_LABEL = "Giraffe";

    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("ui", platform -> {
        // The page's origin is results-service's; it uploads to ingest on another port.
        platform.configure(Platform.INGEST, "quarkus.http.cors.origins=" + platform.resultsUrl(),
                "quarkus.http.access-log.enabled=true");
        platform.configure(Platform.RESULTS, "results.ui.ingest-url=" + platform.ingestUrl());
    });

    @Test
    void uploadWatchFilterAndInspectInABrowser() throws Exception {
        Path testdata = testdata();
        Path ui = Platform.repositoryRoot().resolve("e2e-tests/ui");
        assertTrue(Files.isRegularFile(ui.resolve("node_modules/playwright-core/package.json")),
                "playwright-core is not installed in e2e-tests/ui: the build runs npm ci there (./mvnw verify)");
        Path screenshots = Platform.repositoryRoot().resolve("e2e-tests/target/ui-screenshots");
        String images = Json.mapper().writeValueAsString(List.of(
                new Image(testdata.resolve(FIRST).toString(), FIRST_LABEL),
                new Image(testdata.resolve(SECOND).toString(), SECOND_LABEL)));
        Platform platform = RUNNING.platform();
        String url = platform.resultsUrl() + "/ui/#key=" + platform.operatorKey();

        JsonNode seen = runScenario(ui, List.of(
                "UI_URL=" + url,
                "UI_IMAGES=" + images,
                "CHROMIUM=" + chromium(),
                "SCREENSHOTS=" + screenshots,
                "UI_FLAG_LABEL=" + SECOND_LABEL,
                // Chromium's own record of every connection and request, for when something hangs.
                "NETLOG=" + Platform.repositoryRoot().resolve("e2e-tests/target/e2e-logs/ui/chromium-netlog.json")));
        System.out.printf("ui: %s, live mode %s, steps %s, screenshots in %s%n", seen.path("browserVersion").asText(),
                seen.path("liveMode").asText(), seen.path("steps"), screenshots);
        assertTrue(seen.path("ok").asBoolean(), "the browser scenario failed: " + seen.path("error").asText()
                + "; steps done " + seen.path("steps") + "; see " + screenshots + " and e2e-logs/ui/browser.log; seen: "
                + seen);

        // The key: taken from the fragment, kept in the tab's session storage, gone from the address bar,
        // never in a URL the page requested.
        assertTrue(seen.path("fragmentRemoved").asBoolean(), seen.path("urlAfterLoad").asText());
        assertTrue(seen.path("keyInSessionStorage").asBoolean());
        assertEquals(0, seen.path("requestsWithKeyInUrl").size(), seen.path("requestsWithKeyInUrl").toString());

        // The drop zone is a button that opens the file chooser (several files) from the keyboard.
        assertTrue(seen.path("dropZoneFocusable").asBoolean());
        assertTrue(seen.path("chooserMultiple").asBoolean());
        assertEquals(2, seen.path("uploads").size(), seen.path("uploads").toString());
        for (JsonNode upload : seen.path("uploads")) {
            assertEquals("accepted", upload.path("state").asText(), upload.toString());
            assertEquals(1.0, upload.path("progress").asDouble(), 1e-9, upload.toString());
        }

        // Both jobs SUCCEEDED in the live list, on the page as first loaded.
        List<String> succeeded = new ArrayList<>();
        seen.path("jobs").forEach(j -> {
            if (j.path("status").asText().equals("SUCCEEDED")) {
                succeeded.add(j.path("jobId").asText());
            }
        });
        assertEquals(2, succeeded.size(), seen.path("jobs").toString());
        assertTrue(seen.path("neverReloaded").asBoolean(), "the page was reloaded");
        // And the API agrees.
        for (String jobId : succeeded) {
            assertEquals("SUCCEEDED", RUNNING.api().get("/v1/jobs/" + jobId, java.util.Map.of()).body()
                    .path("status").asText());
        }

        // The gallery: both images, fetched through the API with the key (object URLs), with their labels,
        // and a box drawn over each detected object where Rekognition's box says.
        assertEquals(2, seen.path("cards").size(), seen.path("cards").toString());
        JsonNode dog = card(seen, FIRST);
        JsonNode giraffe = card(seen, SECOND);
        for (JsonNode card : List.of(dog, giraffe)) {
            assertTrue(card.path("imageLoaded").asBoolean() && card.path("imageFromObjectUrl").asBoolean(), card.toString());
            assertFalse(card.path("alt").asText().isBlank(), "alt text: " + card);
        }
        assertTrue(labels(dog).contains(FIRST_LABEL) && !labels(giraffe).contains(FIRST_LABEL), seen.path("cards").toString());
        assertTrue(labels(giraffe).contains(SECOND_LABEL), giraffe.toString());
        // Moderation, asked for by default: the real engine flags neither photo (an empty list, not absent);
        // the answer for the giraffe was given moderation labels on its way to the page (ui-scenario.mjs),
        // and only that image was blurred, its boxes hidden, until "Show image".
        for (String jobId : succeeded) {
            JsonNode moderation = RUNNING.api().get("/v1/jobs/" + jobId, java.util.Map.of()).body().path("moderationLabels");
            assertTrue(moderation.isArray() && moderation.isEmpty(), "moderation labels of " + jobId + ": " + moderation);
        }
        assertEquals(1, seen.path("flagged").size(), seen.path("flagged").toString());
        assertEquals(giraffe.path("jobId").asText(), seen.path("flagged").get(0).path("jobId").asText());
        for (JsonNode card : seen.path("flaggedCards")) {
            boolean isGiraffe = card.path("jobId").asText().equals(giraffe.path("jobId").asText());
            assertEquals(isGiraffe, card.path("flagged").asBoolean(), card.toString());
            assertEquals(isGiraffe, card.path("imageFilter").asText().contains("blur"), card.toString());
            if (isGiraffe) {
                assertEquals(0, card.path("visibleBoxes").asInt(), card.toString());
                assertEquals("Flagged: Explicit 88.0%", card.path("cover").asText(), card.toString());
            } else {
                assertTrue(card.path("visibleBoxes").asInt() > 0 && card.path("cover").isNull(), card.toString());
            }
        }
        assertEquals(0, seen.path("flaggedAfterShow").asInt(), "Show image unblurs");
        assertBoxMatchesTheApi(dog, FIRST_LABEL);
        assertBoxMatchesTheApi(giraffe, SECOND_LABEL);

        // A click on the label: only the image that has it.
        assertEquals(List.of(dog.path("jobId").asText()), texts(seen.path("filter").path("shownJobs")));
        assertEquals(FIRST_LABEL, seen.path("filter").path("filterName").asText());
        assertEquals("true", seen.path("filter").path("chipPressed").asText());
        assertEquals(2, seen.path("afterClear").asInt(), "Show all brings both back");

        // The detail view: the job's JSON as text, the boxes over the image, Escape closes it.
        JsonNode detail = seen.path("detail");
        assertEquals(dog.path("jobId").asText(), detail.path("jobId").asText());
        assertEquals("SUCCEEDED", detail.path("status").asText());
        assertTrue(texts(detail.path("labelNames")).contains(FIRST_LABEL), detail.toString());
        assertEquals(0, detail.path("jsonElementChildren").asInt(), "the JSON is text, not markup");
        assertTrue(detail.path("boxesInDetail").asInt() > 0, detail.toString());
        assertTrue(detail.path("closedByEscape").asBoolean() && detail.path("focusReturnedToDetails").asBoolean(),
                detail.toString());

        assertEquals(0, seen.path("pageErrors").size(), "uncaught errors in the page: " + seen.path("pageErrors"));
        seen.path("consoleErrors").forEach(e -> assertFalse(e.asText().contains("Content Security Policy"),
                "the page broke its own content security policy: " + e.asText()));
        assertTrue(Files.isRegularFile(screenshots.resolve("04-detail.png")));
    }

    /** The box drawn for a label is where the job's first instance of it says (ratios of the image). */
    private static void assertBoxMatchesTheApi(JsonNode card, String label) throws Exception {
        JsonNode job = RUNNING.api().get("/v1/jobs/" + card.path("jobId").asText(), java.util.Map.of()).body();
        JsonNode expected = null;
        for (JsonNode l : job.path("labels")) {
            if (l.path("Name").asText().equals(label) && l.path("Instances").size() > 0) {
                expected = l.path("Instances").get(0).path("BoundingBox");
            }
        }
        assertTrue(expected != null, "the API found no " + label + " instance: " + job.path("labels"));
        JsonNode drawn = null;
        for (JsonNode box : card.path("boxes")) {
            if (box.path("kind").asText().equals("label") && box.path("name").asText().equals(label)) {
                drawn = box;
                break;
            }
        }
        assertTrue(drawn != null, "no box drawn for " + label + ": " + card.path("boxes"));
        double tolerance = 0.02; // borders and rounding of the layout
        assertEquals(expected.path("Left").asDouble(), drawn.path("left").asDouble(), tolerance, drawn.toString());
        assertEquals(expected.path("Top").asDouble(), drawn.path("top").asDouble(), tolerance, drawn.toString());
        assertEquals(expected.path("Width").asDouble(), drawn.path("width").asDouble(), tolerance, drawn.toString());
        assertEquals(expected.path("Height").asDouble(), drawn.path("height").asDouble(), tolerance, drawn.toString());
    }

    private static JsonNode card(JsonNode seen, String file) {
        String name = Path.of(file).getFileName().toString();
        for (JsonNode card : seen.path("cards")) {
            if (card.path("title").asText().endsWith(name)) {
                return card;
            }
        }
        throw new AssertionError("no gallery card for " + name + ": " + seen.path("cards"));
    }

    private static List<String> labels(JsonNode card) {
        return texts(card.path("labels"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    record Image(String path, String label) {
    }

    /** Runs the browser scenario with node; its last stdout line is the JSON of what it saw. */
    private static JsonNode runScenario(Path ui, List<String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "ui-scenario.mjs").directory(ui.toFile());
        for (String pair : environment) {
            int eq = pair.indexOf('=');
            builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Path log = Platform.repositoryRoot().resolve("e2e-tests/target/e2e-logs/ui/browser.log");
        Files.createDirectories(log.getParent());
        builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process node;
        try {
            node = builder.start();
        } catch (IOException e) {
            throw new AssertionError("node is needed for the browser test (apt-get install nodejs npm)", e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!node.waitFor(10, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError("the browser scenario did not end within 10 minutes; see " + log);
        }
        String stdout = out.get(30, TimeUnit.SECONDS).strip();
        String last = stdout.isEmpty() ? "" : stdout.substring(stdout.lastIndexOf('\n') + 1);
        if (!last.startsWith("{")) {
            throw new AssertionError("the browser scenario printed no result (exit " + node.exitValue() + "); see "
                    + log + "\n" + stdout);
        }
        return Json.mapper().readTree(last);
    }

    /**
     * Skips the class, with the reason, before its platform starts, where there is no browser or there are
     * no sample photos: there would be nothing to drive.
     */
    static final class Prerequisites implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String missing = findChromium().isEmpty()
                    ? "chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH): the browser test "
                            + "of the web UI is skipped"
                    : findTestdata().isEmpty()
                            ? "../shared/testdata is not beside this clone: the browser test of the web UI is skipped"
                            : null;
            if (missing == null) {
                return ConditionEvaluationResult.enabled("chromium and the sample photos are there");
            }
            System.out.println("UiIT: " + missing);
            return ConditionEvaluationResult.disabled(missing);
        }
    }

    /** Debian's chromium, or CHROMIUM_PATH. */
    static Path chromium() {
        Optional<Path> found = findChromium();
        Assumptions.assumeTrue(found.isPresent(), "chromium is not installed: the browser test is skipped");
        return found.get();
    }

    private static Optional<Path> findChromium() {
        return Optional.ofNullable(System.getenv("CHROMIUM_PATH")).map(Path::of).filter(Files::isExecutable)
                .or(() -> Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                        .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                        .filter(Files::isExecutable).findFirst());
    }

    private static Path testdata() {
        Optional<Path> found = findTestdata();
        Assumptions.assumeTrue(found.isPresent(), "../shared/testdata is not beside this clone: the test is skipped");
        return found.get();
    }

    private static Optional<Path> findTestdata() {
        return Stream.of(Platform.repositoryRoot().resolve("../shared/testdata"), Path.of("../../shared/testdata"))
                .filter(candidate -> Files.isRegularFile(candidate.resolve("manifest.json"))).findFirst();
    }
}
