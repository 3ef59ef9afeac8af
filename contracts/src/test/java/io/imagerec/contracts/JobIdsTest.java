package io.imagerec.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class JobIdsTest {

    @Test
    void idsAreVersion7AndCarryTheirMillisecond() {
        Instant now = Instant.parse("2026-11-25T10:00:00.123Z");
        String id = JobIds.next(now);
        UUID uuid = UUID.fromString(id);
        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
        assertEquals(Optional.of(now), JobIds.createdAt(id));
        assertNotEquals(id, JobIds.next(now), "random bits differ within one millisecond");
        assertTrue(JobIds.next(now.plusMillis(1)).compareTo(id) > 0, "later ids sort after earlier ones");
    }

    @Test
    void otherStringsHaveNoTime() {
        assertEquals(Optional.empty(), JobIds.createdAt(UUID.randomUUID().toString()));
        assertEquals(Optional.empty(), JobIds.createdAt("not-a-uuid"));
        assertEquals(Optional.empty(), JobIds.createdAt(null));
        assertEquals(Optional.empty(), JobIds.createdAt(JobIds.next(Instant.now()).toUpperCase()));
    }
}
