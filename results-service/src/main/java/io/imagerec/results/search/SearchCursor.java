package io.imagerec.results.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import io.imagerec.results.service.ResultsException;

/**
 * Keyset position of a search page: the last item's submission time and job id, opaque to clients, in
 * the same format as the cursors of GET /v1/images. A cursor that does not decode, or holds a time or an
 * id no job can have, is 400 INVALID_CURSOR.
 */
record SearchCursor(Instant submitted, String jobId) {

    /** Submission times a cursor can hold: PostgreSQL's timestamps go further, a forged cursor no further. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** The cursor, or null when none was given (the first page). */
    static SearchCursor parse(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        SearchCursor parsed;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 2);
            parsed = new SearchCursor(Instant.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            throw invalid();
        }
        if (parsed.submitted().isBefore(EARLIEST) || parsed.submitted().isAfter(LATEST)
                || !SearchService.plausibleValue(parsed.jobId(), SearchService.MAX_ID) || parsed.jobId().isEmpty()) {
            throw invalid();
        }
        return parsed;
    }

    private static ResultsException invalid() {
        return new ResultsException(400, "INVALID_CURSOR", "cursor is not one this API returned");
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (submitted + "\n" + jobId).getBytes(StandardCharsets.UTF_8));
    }
}
