package io.imagerec.results.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.imagerec.results.service.ResultsException;

class LastEventIdTest {

    @Test
    void theHeaderWinsOverTheParameterAndBlankIsNone() {
        assertEquals(42L, LastEventId.parse("42", "7"));
        assertEquals(7L, LastEventId.parse(null, "7"));
        assertEquals(7L, LastEventId.parse("", "7"));
        assertEquals(0L, LastEventId.parse("0", null));
        assertEquals(Long.MAX_VALUE, LastEventId.parse(Long.toString(Long.MAX_VALUE), null));
        assertNull(LastEventId.parse(null, null));
        assertNull(LastEventId.parse(" ", ""));
    }

    @Test
    void anythingButAWholeNumberIsRefused() {
        for (String bad : new String[] { "-1", "+1", "1.0", "abc", "1e3", "9223372036854775808", "1 2", "\u0661" }) {
            ResultsException e = assertThrows(ResultsException.class, () -> LastEventId.parse(bad, null), bad);
            assertEquals(400, e.status());
            assertEquals("INVALID_LAST_EVENT_ID", e.code());
        }
    }
}
