package io.imagerec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

import io.imagerec.contracts.Json;

/** {@code imagerec upload} run in this JVM, as a user runs it, against a server that keeps the contract. */
class UploadCommandTest {

    /** {@code lines}: stdout's JSON lines; {@code out}: all of stdout (help text). */
    record Run(int exit, List<JsonNode> lines, String out, String err) {
        /** file -> the last line about it */
        Map<String, JsonNode> byFile() {
            Map<String, JsonNode> m = new TreeMap<>();
            lines.forEach(l -> m.put(l.path("file").asText(), l));
            return m;
        }

        List<JsonNode> withStatus(String status) {
            return lines.stream().filter(l -> l.path("status").asText().equals(status)).toList();
        }
    }

    private StubPlatform stub;
    @TempDir
    Path work;
    private Path photos;
    private Path state;

    @BeforeEach
    void start() throws Exception {
        stub = new StubPlatform();
        photos = work.resolve("photos");
        Files.createDirectories(photos.resolve("2026/11"));
        Files.write(photos.resolve("a.jpg"), ImageBytes.image("jpg", 1));
        Files.write(photos.resolve("2026/b.png"), ImageBytes.image("png", 2));
        Files.write(photos.resolve("2026/11/c.JPG"), ImageBytes.image("jpg", 3));
        Files.writeString(photos.resolve("notes.txt"), "not an image, not looked at");
        state = work.resolve("state.jsonl");
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Run run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("upload", "--endpoint", stub.url(), "--results-endpoint", stub.url(),
                "--state", state.toString()));
        all.addAll(List.of(args));
        return runRaw(all.toArray(String[]::new));
    }

    private static Run runRaw(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Imagerec.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(Json.mapper().readTree(line));
            }
        }
        return new Run(exit, lines, out.toString(), err.toString());
    }

    @Test
    void everyImageIsUploadedOnceAndARerunSkipsWhatWasAccepted() throws Exception {
        Files.writeString(photos.resolve("2026/broken.jpg"), "a text file named like a JPEG");

        Run first = run(photos.toString());
        assertEquals(1, first.exit(), first.err());
        assertEquals(4, first.lines().size(), first.lines().toString());
        assertEquals(3, first.withStatus("QUEUED").size(), first.lines().toString());
        JsonNode broken = first.byFile().get(photos.resolve("2026/broken.jpg").toString());
        assertEquals("ERROR", broken.path("status").asText());
        assertEquals("UNSUPPORTED_IMAGE_TYPE", broken.path("code").asText());
        assertEquals(415, broken.path("httpStatus").asInt());
        assertTrue(first.err().contains("4 files: 3 accepted, 0 skipped, 1 failed"), first.err());
        assertEquals(3, Files.readAllLines(state).size());
        long posted = stub.count("POST /v1/images");

        Run second = run(photos.toString());
        assertEquals(1, second.exit(), "the broken file still fails");
        assertEquals(3, second.withStatus("SKIPPED").size(), second.lines().toString());
        for (JsonNode skipped : second.withStatus("SKIPPED")) {
            JsonNode before = first.byFile().get(skipped.path("file").asText());
            assertEquals(before.path("jobId"), skipped.path("jobId"));
            assertEquals(before.path("imageId"), skipped.path("imageId"));
        }
        assertEquals(posted + 1, stub.count("POST /v1/images"), "only the broken file was sent again");
        assertTrue(second.err().contains("4 files: 0 accepted, 3 skipped, 1 failed"), second.err());

        Files.delete(photos.resolve("2026/broken.jpg"));
        assertEquals(0, run(photos.toString()).exit());
    }

    @Test
    void aCopiedOrTouchedFileIsKnownByItsContent() throws Exception {
        Run first = run(photos.toString());
        assertEquals(0, first.exit(), first.err());
        String jobOfA = first.byFile().get(photos.resolve("a.jpg").toString()).path("jobId").asText();
        Files.copy(photos.resolve("a.jpg"), photos.resolve("copy-of-a.jpg"));
        Files.setLastModifiedTime(photos.resolve("a.jpg"), FileTime.fromMillis(1_000_000_000_000L));
        long posted = stub.count("POST /v1/images");

        Run second = run(photos.toString());
        assertEquals(0, second.exit(), second.err());
        assertEquals(4, second.withStatus("SKIPPED").size(), second.lines().toString());
        assertEquals(jobOfA, second.byFile().get(photos.resolve("copy-of-a.jpg").toString()).path("jobId").asText());
        assertEquals(posted, stub.count("POST /v1/images"));
    }

    @Test
    void otherFeaturesAreANewRequestWithItsOwnIdempotencyKey() throws Exception {
        assertEquals(0, run(photos.toString()).exit());
        Run text = run("--features", "text,labels", photos.toString());
        assertEquals(0, text.exit(), text.err());
        assertEquals(3, text.withStatus("QUEUED").size(), text.lines().toString());
        List<StubPlatform.Request> posts = stub.all("POST /v1/images");
        assertEquals(6, posts.size());
        assertTrue(posts.get(0).query() == null);
        assertEquals("features=TEXT%2CLABELS", posts.get(5).query());
        long distinctKeys = posts.stream().map(r -> r.header("Idempotency-Key")).distinct().count();
        assertEquals(6, distinctKeys, "the same bytes with other features is another request");
    }

    @Test
    void withWaitEachJobsFinalStateIsPrintedAlsoForSkippedFiles() throws Exception {
        stub.pollsBeforeDone = 1;
        Run first = run("--wait", "--concurrency", "2", photos.toString());
        assertEquals(0, first.exit(), first.err());
        assertEquals(3, first.withStatus("QUEUED").size(), first.lines().toString());
        List<JsonNode> done = first.withStatus("SUCCEEDED");
        assertEquals(3, done.size(), first.lines().toString());
        for (JsonNode line : done) {
            assertEquals(line.path("jobId"), line.path("job").path("jobId"));
            assertTrue(line.path("job").path("labels").isArray(), line.toString());
        }
        assertTrue(first.err().contains("jobs: 3 succeeded, 0 failed or unfinished, of 3"), first.err());

        Run again = run("--wait", photos.toString());
        assertEquals(0, again.exit(), again.err());
        assertEquals(3, again.withStatus("SKIPPED").size());
        assertEquals(3, again.withStatus("SUCCEEDED").size());
    }

    @Test
    void directUploadsPutEveryFileAndAreResumedLikeOrdinaryOnes() throws Exception {
        Run first = run("--direct", photos.toString());
        assertEquals(0, first.exit(), first.err());
        assertEquals(3, first.withStatus("QUEUED").size(), first.lines().toString());
        assertEquals(3, stub.count("PUT /bucket/direct/"));
        assertEquals(0, stub.count("POST /v1/images"));
        Run second = run("--direct", photos.toString());
        assertEquals(3, second.withStatus("SKIPPED").size());
        assertEquals(3, stub.count("PUT /bucket/direct/"));
    }

    @Test
    void usageErrorsExitWithTwoAndSendNothing() throws Exception {
        assertEquals(2, run("--min-confidence", "101", photos.toString()).exit());
        assertEquals(2, run("--max-labels", "0", photos.toString()).exit());
        assertEquals(2, run("--tenant", "Not Valid", photos.toString()).exit());
        assertEquals(2, run("--concurrency", "0", photos.toString()).exit());
        assertEquals(2, run("--wait-timeout", "soon", photos.toString()).exit());
        assertEquals(2, run(work.resolve("absent").toString()).exit());
        assertEquals(2, run("--no-such-option", photos.toString()).exit());
        assertEquals(2, run().exit(), "no directory");
        assertEquals(2, runRaw().exit(), "no command");
        Run help = runRaw("upload", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--results-endpoint") && help.out().contains("Exit codes"), help.out());
        assertEquals(0, stub.requests.size());
    }
}
