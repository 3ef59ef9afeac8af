package io.imagerec.results.events;

import io.imagerec.results.service.ResultsException;

/**
 * Where a client resumes: the {@code Last-Event-ID} header (what an EventSource sends when it reconnects),
 * else {@code ?lastEventId=} for clients that cannot set headers. An id is a non-negative integer; 0
 * replays every retained event.
 */
public final class LastEventId {

    private static final int MAX_DIGITS = 19;

    private LastEventId() {
    }

    /** The id to resume after, or null for none; 400 INVALID_LAST_EVENT_ID when it is not one. */
    public static Long parse(String header, String query) {
        String value = header != null && !header.isBlank() ? header : query;
        if (value == null || value.isBlank()) {
            return null;
        }
        String id = value.strip();
        if (id.length() > MAX_DIGITS || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid();
        }
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static ResultsException invalid() {
        return new ResultsException(400, "INVALID_LAST_EVENT_ID",
                "Last-Event-ID (or lastEventId) must be an event id this API sent: a whole number from 0");
    }
}
