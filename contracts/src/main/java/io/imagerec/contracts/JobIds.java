package io.imagerec.contracts;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Job and image ids: UUID version 7 (RFC 9562), a millisecond timestamp followed by random bits. The
 * timestamp orders ids by creation and lets the results service tell a job that was accepted moments
 * ago, whose first event has not reached it yet, from one that does not exist.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    /** A new id made at {@code now}. */
    public static String next(Instant now) {
        long millis = now.toEpochMilli();
        long randA = RANDOM.nextInt(1 << 12);
        long high = (millis << 16) | (0x7L << 12) | randA;
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** When a version-7 id, in the lower-case form this class makes, was made; empty for anything else. */
    public static Optional<Instant> createdAt(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (uuid.version() != 7 || uuid.variant() != 2 || !uuid.toString().equals(id)) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16));
    }
}
