package io.imagerec.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MessagesTest {

    private final RecognitionJob job = new RecognitionJob(RecognitionJob.SCHEMA, "j1", "i1", "acme", "images",
            "images/acme/i1", List.of(Feature.LABELS), 60f, 10, Instant.parse("2026-11-25T10:00:00Z"),
            Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

    @Test
    void jobsRoundTripWithIsoInstants() throws IOException {
        String body = Json.mapper().writeValueAsString(job);
        assertTrue(body.contains("\"submittedAt\":\"2026-11-25T10:00:00Z\""), body);
        assertEquals(job, Messages.readJob(Json.mapper(), body));
    }

    @Test
    void unknownFieldsAreIgnoredButUnknownSchemasRefused() throws IOException {
        String body = Json.mapper().writeValueAsString(job).replaceFirst("\\{", "{\"futureField\":1,");
        assertEquals(job, Messages.readJob(Json.mapper(), body));
        String v2 = Json.mapper().writeValueAsString(job).replace(RecognitionJob.SCHEMA, "recognition-job/v2");
        assertThrows(IOException.class, () -> Messages.readJob(Json.mapper(), v2));
    }

    @Test
    void statusesOnlyMoveForward() {
        assertTrue(JobStatus.QUEUED.mayMoveTo(JobStatus.PROCESSING));
        assertTrue(JobStatus.QUEUED.mayMoveTo(JobStatus.SUCCEEDED));
        assertTrue(JobStatus.PROCESSING.mayMoveTo(JobStatus.FAILED));
        assertFalse(JobStatus.PROCESSING.mayMoveTo(JobStatus.QUEUED));
        assertFalse(JobStatus.PROCESSING.mayMoveTo(JobStatus.PROCESSING));
        assertFalse(JobStatus.SUCCEEDED.mayMoveTo(JobStatus.FAILED));
        assertFalse(JobStatus.FAILED.mayMoveTo(JobStatus.SUCCEEDED));
    }
}
