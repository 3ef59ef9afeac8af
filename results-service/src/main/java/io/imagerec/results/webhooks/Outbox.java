package io.imagerec.results.webhooks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes webhook deliveries for an event in the transaction that applied it: one row per subscription
 * of the tenant that asked for the event's type. The body (the job's JSON as it is now) is made only
 * when some subscription wants it.
 */
public final class Outbox {

    /** Makes the delivery body on demand, inside the applying transaction. */
    @FunctionalInterface
    public interface Body {
        String make() throws SQLException;
    }

    private Outbox() {
    }

    /** Records the deliveries of one event; how many. */
    public static int enqueue(Connection c, String tenant, long eventId, String eventType, String jobId, Body body,
            Duration retryFor, Instant now) throws SQLException {
        record Target(String webhookId, String url) {
        }
        List<Target> targets = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT webhook_id, url FROM webhooks WHERE tenant = ? AND ? = ANY (event_types)")) {
            s.setString(1, tenant);
            s.setString(2, eventType);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    targets.add(new Target(rs.getString(1), rs.getString(2)));
                }
            }
        }
        if (targets.isEmpty()) {
            return 0;
        }
        String json = body.make();
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO webhook_deliveries (delivery_id, webhook_id, tenant, url, event_id, event_type, job_id,
                                                body, next_attempt_at, give_up_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)) {
            for (Target t : targets) {
                s.setString(1, newDeliveryId());
                s.setString(2, t.webhookId());
                s.setString(3, tenant);
                s.setString(4, t.url());
                s.setLong(5, eventId);
                s.setString(6, eventType);
                s.setString(7, jobId);
                s.setString(8, json);
                s.setTimestamp(9, Timestamp.from(now));
                s.setTimestamp(10, Timestamp.from(now.plus(retryFor)));
                s.setTimestamp(11, Timestamp.from(now));
                s.addBatch();
            }
            s.executeBatch();
        }
        return targets.size();
    }

    static String newDeliveryId() {
        return "dlv_" + UUID.randomUUID().toString().replace("-", "");
    }
}
