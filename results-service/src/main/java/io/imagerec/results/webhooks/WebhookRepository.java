package io.imagerec.results.webhooks;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.agroal.api.AgroalDataSource;

/** Subscriptions, the delivery outbox and its attempts in PostgreSQL; every read is scoped to a tenant. */
@ApplicationScoped
public class WebhookRepository {

    /** A subscription; {@code secret} is shown to its owner only when made or rotated. */
    public record Subscription(String webhookId, String tenant, String url, List<String> events, String secret,
            String description, Instant createdAt, Instant secretRotatedAt) {
    }

    /** A delivery claimed for sending. */
    public record Claimed(String deliveryId, String webhookId, String url, String eventType, String jobId, String body,
            String secret, int attempt, Instant giveUpAt) {
    }

    /** One try of a delivery. */
    @Schema(name = "WebhookAttempt")
    public record Attempt(@Schema(required = true) int attempt, @Schema(required = true) Instant startedAt,
            @Schema(required = true) int durationMs, @Schema(description = "the consumer's HTTP status") Integer status,
            @Schema(description = "why the attempt failed") String error) {
    }

    /** A delivery as its subscription's owner sees it. */
    @Schema(name = "WebhookDelivery")
    public record Delivery(@Schema(required = true) String deliveryId, @Schema(required = true) String webhookId,
            @Schema(required = true) String eventType, @Schema(required = true) String jobId,
            @Schema(required = true, enumeration = { "PENDING", "DELIVERED", "DEAD" }) String state,
            @Schema(required = true) int attempts, @Schema(required = true) Instant createdAt, Instant nextAttemptAt,
            Instant giveUpAt, Instant deliveredAt, Integer lastStatus, String lastError, String deadReason,
            @Schema(required = true) List<Attempt> attemptLog) {
    }

    private static final String SUBSCRIPTION_COLUMNS =
            "webhook_id, tenant, url, event_types, secret, description, created_at, secret_rotated_at";

    private final AgroalDataSource db;

    public WebhookRepository(AgroalDataSource db) {
        this.db = db;
    }

    // ---- subscriptions ----

    /** Inserts a subscription unless the tenant already has {@code max}; false when it has. */
    public boolean create(Subscription s, int max) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO webhooks (webhook_id, tenant, url, event_types, secret, description, created_at)
                        SELECT ?, ?, ?, ?, ?, ?, ?
                        WHERE (SELECT count(*) FROM webhooks WHERE tenant = ?) < ?
                        """)) {
            insert.setString(1, s.webhookId());
            insert.setString(2, s.tenant());
            insert.setString(3, s.url());
            insert.setArray(4, c.createArrayOf("text", s.events().toArray()));
            insert.setString(5, s.secret());
            insert.setString(6, s.description());
            insert.setTimestamp(7, Timestamp.from(s.createdAt()));
            insert.setString(8, s.tenant());
            insert.setInt(9, max);
            return insert.executeUpdate() == 1;
        }
    }

    public List<Subscription> list(String tenant) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT " + SUBSCRIPTION_COLUMNS
                + " FROM webhooks WHERE tenant = ? ORDER BY created_at, webhook_id")) {
            s.setString(1, tenant);
            List<Subscription> all = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.add(subscription(rs));
                }
            }
            return all;
        }
    }

    public Optional<Subscription> find(String tenant, String webhookId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT " + SUBSCRIPTION_COLUMNS
                + " FROM webhooks WHERE tenant = ? AND webhook_id = ?")) {
            s.setString(1, tenant);
            s.setString(2, webhookId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(subscription(rs)) : Optional.empty();
            }
        }
    }

    /** Deletes a subscription and its deliveries; false when the tenant has no such subscription. */
    public boolean delete(String tenant, String webhookId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM webhooks WHERE tenant = ? AND webhook_id = ?")) {
            s.setString(1, tenant);
            s.setString(2, webhookId);
            return s.executeUpdate() == 1;
        }
    }

    /** Replaces a subscription's secret; the deliveries sent from now on are signed with the new one. */
    public Optional<Subscription> rotate(String tenant, String webhookId, String secret, Instant now) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE webhooks SET secret = ?, secret_rotated_at = ? WHERE tenant = ? AND webhook_id = ? RETURNING "
                        + SUBSCRIPTION_COLUMNS)) {
            s.setString(1, secret);
            s.setTimestamp(2, Timestamp.from(now));
            s.setString(3, tenant);
            s.setString(4, webhookId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(subscription(rs)) : Optional.empty();
            }
        }
    }

    // ---- the outbox ----

    /**
     * Claims up to {@code limit} due deliveries for this replica: each claimed row is due again only
     * after {@code lease}, so rows claimed by a replica that died are sent by another one then. Rows
     * other replicas are claiming at this moment are skipped, not waited for.
     */
    public List<Claimed> claim(int limit, Duration lease, String replica) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE webhook_deliveries d
                   SET next_attempt_at = now() + make_interval(secs => ?), attempts = d.attempts + 1, claimed_by = ?
                  FROM webhooks w
                 WHERE w.webhook_id = d.webhook_id
                   AND d.delivery_id IN (SELECT delivery_id FROM webhook_deliveries
                                          WHERE state = 'PENDING' AND next_attempt_at <= now()
                                          ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING d.delivery_id, d.webhook_id, d.url, d.event_type, d.job_id, d.body, w.secret, d.attempts,
                          d.give_up_at
                """)) {
            s.setDouble(1, lease.toMillis() / 1000.0);
            s.setString(2, replica);
            s.setInt(3, limit);
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                            rs.getTimestamp(9).toInstant()));
                }
            }
            return claimed;
        }
    }

    /**
     * Records an attempt and the delivery's new state: DELIVERED, PENDING again at {@code nextAttempt},
     * or DEAD with {@code deadReason}. Only while the row is still this attempt's (a redelivery or a
     * later claim after this replica's lease ran out leaves it alone).
     */
    public void record(Claimed d, Attempt attempt, String state, Instant nextAttempt, String deadReason)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("""
                        INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status, error)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """)) {
                    s.setString(1, d.deliveryId());
                    s.setInt(2, attempt.attempt());
                    s.setTimestamp(3, Timestamp.from(attempt.startedAt()));
                    s.setInt(4, attempt.durationMs());
                    s.setObject(5, attempt.status());
                    s.setString(6, attempt.error());
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("""
                        UPDATE webhook_deliveries
                           SET state = ?, next_attempt_at = coalesce(?, next_attempt_at), last_status = ?, last_error = ?,
                               dead_reason = ?, delivered_at = CASE WHEN ? = 'DELIVERED' THEN now() END, claimed_by = NULL
                         WHERE delivery_id = ? AND attempts = ? AND state = 'PENDING'
                        """)) {
                    s.setString(1, state);
                    s.setTimestamp(2, nextAttempt == null ? null : Timestamp.from(nextAttempt));
                    s.setObject(3, attempt.status());
                    s.setString(4, attempt.error());
                    s.setString(5, deadReason);
                    s.setString(6, state);
                    s.setString(7, d.deliveryId());
                    s.setInt(8, d.attempt());
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Undoes a claim that sent nothing: due again at once, the attempt not counted. */
    public void release(Claimed d) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE webhook_deliveries SET next_attempt_at = now(), attempts = attempts - 1, claimed_by = NULL
                 WHERE delivery_id = ? AND attempts = ? AND state = 'PENDING'
                """)) {
            s.setString(1, d.deliveryId());
            s.setInt(2, d.attempt());
            s.executeUpdate();
        }
    }

    /** Makes a delivered or dead delivery due again now, for another {@code retryFor}; false if none such. */
    public boolean redeliver(String tenant, String webhookId, String deliveryId, Duration retryFor) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                UPDATE webhook_deliveries
                   SET state = 'PENDING', next_attempt_at = now(), give_up_at = now() + make_interval(secs => ?),
                       dead_reason = NULL, delivered_at = NULL
                 WHERE tenant = ? AND webhook_id = ? AND delivery_id = ? AND state <> 'PENDING'
                """)) {
            s.setDouble(1, retryFor.toMillis() / 1000.0);
            s.setString(2, tenant);
            s.setString(3, webhookId);
            s.setString(4, deliveryId);
            return s.executeUpdate() == 1;
        }
    }

    /** A delivery of the tenant's subscription, if there is one. */
    public Optional<Delivery> delivery(String tenant, String webhookId, String deliveryId) throws SQLException {
        List<Delivery> found = deliveries(tenant, webhookId, null, deliveryId, 1, null, null);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * A subscription's deliveries, newest first, after the keyset position when given, optionally in
     * one state; each with its attempts.
     */
    public List<Delivery> deliveries(String tenant, String webhookId, String state, String deliveryId, int limit,
            Instant afterCreated, String afterId) throws SQLException {
        String sql = "SELECT delivery_id, webhook_id, event_type, job_id, state, attempts, created_at, next_attempt_at,"
                + " give_up_at, delivered_at, last_status, last_error, dead_reason FROM webhook_deliveries"
                + " WHERE tenant = ? AND webhook_id = ?"
                + (state != null ? " AND state = ?" : "")
                + (deliveryId != null ? " AND delivery_id = ?" : "")
                + (afterCreated != null ? " AND (created_at, delivery_id) < (?, ?)" : "")
                + " ORDER BY created_at DESC, delivery_id DESC LIMIT ?";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, tenant);
            s.setString(i++, webhookId);
            if (state != null) {
                s.setString(i++, state);
            }
            if (deliveryId != null) {
                s.setString(i++, deliveryId);
            }
            if (afterCreated != null) {
                s.setTimestamp(i++, Timestamp.from(afterCreated));
                s.setString(i++, afterId);
            }
            s.setInt(i, limit);
            Map<String, Delivery> found = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new Delivery(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getInt(6), instant(rs, 7), instant(rs, 8), instant(rs, 9),
                            instant(rs, 10), (Integer) rs.getObject(11), rs.getString(12), rs.getString(13),
                            new ArrayList<>()));
                }
            }
            if (!found.isEmpty()) {
                try (PreparedStatement a = c.prepareStatement("SELECT delivery_id, attempt, started_at, duration_ms, status,"
                        + " error FROM webhook_attempts WHERE delivery_id = ANY (?) ORDER BY delivery_id, attempt")) {
                    a.setArray(1, c.createArrayOf("text", found.keySet().toArray()));
                    try (ResultSet rs = a.executeQuery()) {
                        while (rs.next()) {
                            found.get(rs.getString(1)).attemptLog().add(new Attempt(rs.getInt(2), instant(rs, 3),
                                    rs.getInt(4), (Integer) rs.getObject(5), rs.getString(6)));
                        }
                    }
                }
            }
            return new ArrayList<>(found.values());
        }
    }

    private static Subscription subscription(ResultSet rs) throws SQLException {
        Array events = rs.getArray("event_types");
        return new Subscription(rs.getString("webhook_id"), rs.getString("tenant"), rs.getString("url"),
                Arrays.asList((String[]) events.getArray()), rs.getString("secret"), rs.getString("description"),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "secret_rotated_at"));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
