package io.imagerec.results.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
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
 * of the tenant that asked for the event's type, and, for a job's end, one to the job's callback URL
 * when it extends the URL of one of the tenant's subscriptions (signed with that one's secret; a
 * callback URL under no subscription gets nothing). The body (the job's JSON as it is now) is made only
 * when some delivery needs it.
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
    public static int enqueue(Connection c, String tenant, long eventId, String eventType, String jobId,
            String callbackUrl, Body body, Duration retryFor, Instant now) throws SQLException {
        record Target(String webhookId, String url) {
        }
        boolean callback = callbackUrl != null && (eventType.equals("job.succeeded") || eventType.equals("job.failed"));
        List<Target> targets = new ArrayList<>();
        Target under = null;
        try (PreparedStatement s = c.prepareStatement(callback
                ? "SELECT webhook_id, url, ? = ANY (event_types) FROM webhooks WHERE tenant = ?"
                : "SELECT webhook_id, url, true FROM webhooks WHERE ? = ANY (event_types) AND tenant = ?")) {
            s.setString(1, eventType);
            s.setString(2, tenant);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Target subscription = new Target(rs.getString(1), rs.getString(2));
                    if (rs.getBoolean(3)) {
                        targets.add(subscription);
                    }
                    if (callback && extendsUrl(subscription.url(), callbackUrl)
                            && (under == null || subscription.url().length() > under.url().length())) {
                        under = subscription;
                    }
                }
            }
        }
        if (under != null) {
            targets.add(new Target(under.webhookId(), callbackUrl));
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

    /**
     * Whether {@code url} is {@code base} or lies under it: the same scheme, host and port, and a path
     * that is base's or continues it after a slash.
     */
    static boolean extendsUrl(String base, String url) {
        try {
            URI b = new URI(base);
            URI u = new URI(url);
            if (b.getScheme() == null || u.getScheme() == null || b.getHost() == null || u.getHost() == null
                    || !b.getScheme().equalsIgnoreCase(u.getScheme()) || !b.getHost().equalsIgnoreCase(u.getHost())
                    || port(b) != port(u) || u.getRawUserInfo() != null) {
                return false;
            }
            String basePath = b.getRawPath() == null || b.getRawPath().isEmpty() ? "/" : b.getRawPath();
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
                return false;
            }
            return basePath.endsWith("/") ? path.startsWith(basePath)
                    : path.equals(basePath) || path.startsWith(basePath + "/");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static String newDeliveryId() {
        return "dlv_" + UUID.randomUUID().toString().replace("-", "");
    }
}
