package io.imagerec.results.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.imagerec.results.repository.JobView;

class EtagsTest {

    private static JobView job(String status, Instant updated, int attempt) {
        return new JobView("j1", "i1", status, null, null, null, null, null, null, null, null, attempt, updated, updated, null);
    }

    @Test
    void aTagIsWeakAndChangesWithStatusUpdateTimeAndAttempt() {
        Instant t = Instant.parse("2026-11-26T03:00:00Z");
        String tag = Etags.of(job("QUEUED", t, 1));
        assertTrue(tag.matches("W/\"[0-9a-f]{24}\""), tag);
        assertEquals(tag, Etags.of(job("QUEUED", t, 1)));
        assertNotEquals(tag, Etags.of(job("PROCESSING", t, 1)));
        assertNotEquals(tag, Etags.of(job("QUEUED", t.plusMillis(1), 1)));
        assertNotEquals(tag, Etags.of(job("QUEUED", t, 2)));
    }

    @Test
    void ifNoneMatchComparesWeaklyAndTakesListsAndStar() {
        String tag = "W/\"abc\"";
        assertTrue(Etags.matches("W/\"abc\"", tag));
        assertTrue(Etags.matches("\"abc\"", tag));
        assertTrue(Etags.matches("\"x\", W/\"abc\"", tag));
        assertTrue(Etags.matches("*", tag));
        assertFalse(Etags.matches("W/\"abd\"", tag));
        assertFalse(Etags.matches("", tag));
        assertFalse(Etags.matches(null, tag));
    }
}
