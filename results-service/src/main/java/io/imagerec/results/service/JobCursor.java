package io.imagerec.results.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Keyset position of a page of jobs, newest first: the last item's submission time and job id, opaque to
 * clients; the cursor of GET /v1/images and GET /v1/jobs alike. A cursor that does not decode, or holds
 * a time or an id no job can have, is 400 INVALID_CURSOR.
 *
 * @param submitted null (with {@code jobId}) for the first page
 */
public record JobCursor(Instant submitted, String jobId) {

    /** Submission times a cursor can hold: PostgreSQL's timestamps go further, a forged cursor no further. */
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** The position a cursor names; the first page's (both parts null) when none was given. */
    public static JobCursor parse(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return new JobCursor(null, null);
        }
        JobCursor parsed;
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 2);
            parsed = new JobCursor(Instant.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            throw invalid();
        }
        if (parsed.submitted().isBefore(EARLIEST) || parsed.submitted().isAfter(LATEST)
                || !ResultsQueryService.plausibleId(parsed.jobId())) {
            throw invalid();
        }
        return parsed;
    }

    private static ResultsException invalid() {
        return new ResultsException(400, "INVALID_CURSOR", "cursor is not one this API returned");
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (submitted + "\n" + jobId).getBytes(StandardCharsets.UTF_8));
    }
}
