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
    void resultsCarryTheTraceContextAndOldResultsStillParse() throws IOException {
        RecognitionResult queued = RecognitionResult.status(job, JobStatus.QUEUED, 0, job.submittedAt());
        assertEquals(job.traceContext(), queued.traceContext());
        RecognitionResult read = Messages.readResult(Json.mapper(), Json.mapper().writeValueAsString(queued));
        assertEquals(job.traceContext(), read.traceContext());
        // A result written before the field existed.
        String old = "{\"schema\":\"recognition-result/v1\",\"jobId\":\"j1\",\"imageId\":\"i1\","
                + "\"tenant\":\"acme\",\"status\":\"QUEUED\",\"attempt\":0}";
        RecognitionResult legacy = Messages.readResult(Json.mapper(), old);
        assertEquals("j1", legacy.jobId());
        assertEquals(null, legacy.traceContext());
        assertEquals(Map.of("traceparent", "x"), legacy.withTraceContext(Map.of("traceparent", "x")).traceContext());
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
