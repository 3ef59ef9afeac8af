package io.imagerec.results.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Locale;

import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.RecognitionResult;

/**
 * Appends a job's change to {@code job_events} inside the transaction that applied it, and tells every
 * replica at commit ({@code NOTIFY job_events}). Ids of one tenant commit in increasing order: a
 * per-tenant transaction lock is taken before the id and held to commit.
 */
public final class EventLog {

    /** The PostgreSQL channel a committed event is announced on; payload {@code <eventId>}. */
    public static final String CHANNEL = "job_events";

    private EventLog() {
    }

    /** The event type of a status: job.queued, job.processing, job.succeeded, job.failed. */
    public static String type(JobStatus status) {
        return "job." + status.name().toLowerCase(Locale.ROOT);
    }

    /** Appends the event of an applied result and returns its id. */
    public static long append(Connection c, RecognitionResult r) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('job_events:' || ?))")) {
            lock.setString(1, r.tenant());
            lock.execute();
        }
        long eventId;
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO job_events (tenant, job_id, image_id, type, status, occurred_at)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING event_id
                """)) {
            s.setString(1, r.tenant());
            s.setString(2, r.jobId());
            s.setString(3, r.imageId());
            s.setString(4, type(r.status()));
            s.setString(5, r.status().name());
            s.setTimestamp(6, Timestamp.from(r.occurredAt()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                eventId = rs.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            s.setString(1, Long.toString(eventId));
            s.execute();
        }
        return eventId;
    }
}
