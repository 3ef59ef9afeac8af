package io.imagerec.results.events;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Reads and trims {@code job_events}. Within one tenant ids commit in increasing order ({@link EventLog}),
 * so "the tenant's events after id N" never skips one that commits later: every read here is per tenant.
 */
@ApplicationScoped
public class EventStore {

    private static final String COLUMNS = "event_id, tenant, job_id, image_id, type, status, occurred_at";

    private final AgroalDataSource db;

    public EventStore(AgroalDataSource db) {
        this.db = db;
    }

    /** A tenant's (or one of its jobs') events after {@code afterId}, oldest first, at most {@code limit}. */
    public List<JobEvent> after(String tenant, String jobId, long afterId, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM job_events WHERE tenant = ? AND event_id > ?"
                + (jobId != null ? " AND job_id = ?" : "") + " ORDER BY event_id LIMIT ?";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, tenant);
            s.setLong(i++, afterId);
            if (jobId != null) {
                s.setString(i++, jobId);
            }
            s.setInt(i, limit);
            return read(s);
        }
    }

    /** The id of the tenant's newest event; 0 when it has none. */
    public long latest(String tenant) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT coalesce(max(event_id), 0) FROM job_events WHERE tenant = ?")) {
            s.setString(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * For each tenant, its events after its own cursor, at most {@code limit} per tenant, oldest first
     * within a tenant; on the given connection (the listening one).
     */
    static List<JobEvent> after(Connection c, Map<String, Long> cursors, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT e.event_id, e.tenant, e.job_id, e.image_id, e.type, e.status,"
                + " e.occurred_at FROM unnest(?::text[], ?::bigint[]) AS cursor(tenant, after_id)"
                + " CROSS JOIN LATERAL (SELECT " + COLUMNS + " FROM job_events j WHERE j.tenant = cursor.tenant"
                + " AND j.event_id > cursor.after_id ORDER BY j.event_id LIMIT ?) e ORDER BY e.event_id")) {
            List<String> tenants = new ArrayList<>(cursors.keySet());
            Array names = c.createArrayOf("text", tenants.toArray());
            Array ids = c.createArrayOf("bigint", tenants.stream().map(cursors::get).toArray());
            s.setArray(1, names);
            s.setArray(2, ids);
            s.setInt(3, limit);
            return read(s);
        }
    }

    /** Deletes at most {@code batch} events created before {@code before}; how many. */
    public int deleteOlderThan(Instant before, int batch) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("DELETE FROM job_events"
                + " WHERE event_id IN (SELECT event_id FROM job_events WHERE created_at < ? LIMIT ?)")) {
            s.setTimestamp(1, Timestamp.from(before));
            s.setInt(2, batch);
            return s.executeUpdate();
        }
    }

    private static List<JobEvent> read(PreparedStatement s) throws SQLException {
        List<JobEvent> events = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                events.add(new JobEvent(rs.getString("tenant"), rs.getLong("event_id"), rs.getString("type"),
                        rs.getString("job_id"), rs.getString("image_id"), rs.getString("status"),
                        rs.getTimestamp("occurred_at").toInstant()));
            }
        }
        return events;
    }
}
