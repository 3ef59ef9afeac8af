package io.imagerec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {

    private static final String OPTIONS = "endpoint=http://localhost:8080;tenant=;features=LABELS;minConfidence=;maxLabels=";

    private static StateFile.Entry entry(String path, String sha, String jobId) {
        return new StateFile.Entry(path, 1234, 1_700_000_000_000L, sha, jobId, "img-" + jobId, OPTIONS,
                Instant.parse("2026-11-25T10:00:00Z"));
    }

    @Test
    void aTornLastLineIsIgnoredAndTheRestRead() throws Exception {
        String first = StateFile.format(entry("/photos/a.jpg", "aa", "job-1"));
        String second = StateFile.format(entry("/photos/b.jpg", "bb", "job-2"));
        String torn = second.substring(0, second.length() / 2);
        StateFile.Contents contents = StateFile.read(new StringReader(first + "\n" + torn));

        assertEquals(1, contents.index().size());
        assertEquals(1, contents.ignored());
        assertFalse(contents.endsWithNewline(), "the torn line has no newline");
        assertEquals("job-1", contents.index().byPath("/photos/a.jpg", 1234, 1_700_000_000_000L, OPTIONS).orElseThrow()
                .jobId());
        assertTrue(contents.index().bySha("bb", OPTIONS).isEmpty());
    }

    @Test
    void linesThatAreNotEntriesAreIgnoredAndBlankOnesAreNotCounted() throws Exception {
        String text = String.join("\n", "not json at all", "{\"path\":\"/x.jpg\"}", "[1,2]", "",
                StateFile.format(entry("/photos/a.jpg", "aa", "job-1")), "") ;
        StateFile.Contents contents = StateFile.read(new StringReader(text));
        assertEquals(1, contents.index().size());
        assertEquals(3, contents.ignored());
        assertTrue(contents.endsWithNewline());
    }

    @Test
    void aFileIsKnownBySamePathSizeAndTimeOrBySameContentWithTheSameOptionsOnly() throws Exception {
        StateFile.Contents contents = StateFile.read(new StringReader(StateFile.format(entry("/p/a.jpg", "aa", "job-1"))
                + "\n"));
        StateFile.Index index = contents.index();
        assertTrue(index.byPath("/p/a.jpg", 1234, 1_700_000_000_000L, OPTIONS).isPresent());
        assertTrue(index.byPath("/p/a.jpg", 1235, 1_700_000_000_000L, OPTIONS).isEmpty(), "size changed");
        assertTrue(index.byPath("/p/a.jpg", 1234, 1_700_000_000_001L, OPTIONS).isEmpty(), "modified since");
        assertTrue(index.byPath("/p/other.jpg", 1234, 1_700_000_000_000L, OPTIONS).isEmpty());
        assertTrue(index.bySha("aa", OPTIONS).isPresent(), "moved or copied, same bytes");
        assertTrue(index.bySha("aa", OPTIONS.replace("LABELS", "TEXT")).isEmpty(), "other features: a new job");
        assertTrue(index.byPath("/p/a.jpg", 1234, 1_700_000_000_000L, OPTIONS.replace("8080", "9090")).isEmpty(),
                "another server");
    }

    @Test
    void appendsAfterAKilledWriterStartOnAFreshLineAndSurviveReopening(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.jsonl");
        try (StateFile state = StateFile.open(file)) {
            state.append(entry("/p/a.jpg", "aa", "job-1"));
        }
        // A run killed in the middle of its write leaves half a line without a newline.
        String half = StateFile.format(entry("/p/b.jpg", "bb", "job-2"));
        Files.writeString(file, half.substring(0, 30), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (StateFile state = StateFile.open(file)) {
            assertEquals(1, state.entries());
            assertEquals(1, state.ignoredLines());
            state.append(entry("/p/c.jpg", "cc", "job-3"));
        }

        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(half.substring(0, 30), lines.get(1), "the torn line stays as it was, ended");
        try (StateFile state = StateFile.open(file)) {
            assertEquals(2, state.entries());
            assertEquals(1, state.ignoredLines());
            assertEquals("job-3", state.bySha("cc", OPTIONS).orElseThrow().jobId());
            assertEquals("img-job-3", state.bySha("cc", OPTIONS).orElseThrow().imageId());
        }
    }

    @Test
    void anAbsentFileIsCreatedEmpty(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/state.jsonl");
        try (StateFile state = StateFile.open(file)) {
            assertEquals(0, state.entries());
        }
        assertTrue(Files.exists(file));
        assertEquals(0, Files.size(file));
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        StateFile.Entry e = entry("/p/ä ö.jpg", "aa", "job-1");
        assertEquals(e, StateFile.parse(StateFile.format(e)));
    }
}
