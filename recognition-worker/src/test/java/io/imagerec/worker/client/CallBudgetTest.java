package io.imagerec.worker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The budget's arithmetic on a clock the test moves: no sleeping, no timing. */
class CallBudgetTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CallBudget budget = new CallBudget(5, now::get);

    private long reserveMillis(long notBeforeMillis) {
        return budget.reserve(Duration.ofMillis(notBeforeMillis)).toMillis();
    }

    @Test
    void callsAtOnceAreSpacedOneIntervalApart() {
        assertEquals(0, reserveMillis(0));
        assertEquals(200, reserveMillis(0));
        assertEquals(400, reserveMillis(0));
        now.addAndGet(Duration.ofMillis(300).toNanos());
        assertEquals(300, reserveMillis(0), "the next free slot is at 600 ms, 300 ms from now");
    }

    @Test
    void aRetryBackingOffDoesNotHoldBackCallsThatMayGoEarlier() {
        assertEquals(0, reserveMillis(0));
        assertEquals(1000, reserveMillis(1000), "a back-off of one second keeps its own time");
        assertEquals(200, reserveMillis(0), "a new call takes a free slot before it");
        assertEquals(1200, reserveMillis(900), "too close to the slot at 1 s: the next one after it");
        assertEquals(400, reserveMillis(0));
    }

    @Test
    void aQuietSpellGivesNoBurst() {
        assertEquals(0, reserveMillis(0));
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(0, reserveMillis(0));
        assertEquals(200, reserveMillis(0), "unused time is not saved up");
    }

    @Test
    void aBudgetMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new CallBudget(0));
    }
}
