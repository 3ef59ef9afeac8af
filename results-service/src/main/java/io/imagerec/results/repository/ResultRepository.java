package io.imagerec.results.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.results.events.EventLog;
import io.imagerec.results.webhooks.Outbox;
import io.imagerec.results.webhooks.WebhookConfig;

/**
 * Jobs and their labels in PostgreSQL. Writes are idempotent and order-proof: a message for a job
 * inserts its row or moves its status forward, never backwards and never past a terminal status,
 * and a redelivered message changes nothing. The one exception is FAILED with RETRIES_EXHAUSTED,
 * which any SUCCEEDED (an attempt's result may arrive late) and a later FAILED replace: a job
 * redriven from the dead-letter queue gets its real end.
 * A message naming another tenant than the job's row changes nothing. Every change is appended to
 * the event log and recorded for the tenant's webhooks in the same transaction.
 */
@ApplicationScoped
public class ResultRepository {

    private static final String UPSERT = """
            INSERT INTO jobs (job_id, image_id, tenant, status, status_rank, error_code, error_message, labels,
                              image_properties, face_details, text_detections, model_version, engine, attempt,
                              submitted_at, updated_at, completed_at, detected_text, face_count, moderation_labels)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (job_id) DO UPDATE SET
                status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
                error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
                labels = EXCLUDED.labels, image_properties = EXCLUDED.image_properties,
                face_details = EXCLUDED.face_details, text_detections = EXCLUDED.text_detections,
                model_version = EXCLUDED.model_version, engine = EXCLUDED.engine, attempt = EXCLUDED.attempt,
                updated_at = EXCLUDED.updated_at, completed_at = EXCLUDED.completed_at,
                detected_text = EXCLUDED.detected_text, face_count = EXCLUDED.face_count,
                moderation_labels = EXCLUDED.moderation_labels
            WHERE jobs.tenant = EXCLUDED.tenant AND (
                (jobs.status_rank < EXCLUDED.status_rank AND jobs.status_rank < 2)
                OR (jobs.error_code = 'RETRIES_EXHAUSTED' AND EXCLUDED.status = 'SUCCEEDED')
                OR (jobs.error_code = 'RETRIES_EXHAUSTED' AND EXCLUDED.status = 'FAILED'
                    AND EXCLUDED.updated_at > jobs.updated_at))
            """;
    private static final String INSERT_LABEL = """
            INSERT INTO job_labels (job_id, tenant, image_id, name, confidence, submitted_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """;
    private static final String INSERT_MODERATION_LABEL = """
            INSERT INTO job_moderation_labels (job_id, tenant, image_id, name, parent_name, confidence, submitted_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """;
    private static final String JOB_COLUMNS = "job_id, image_id, status, error_code, error_message, labels, "
            + "image_properties, face_details, text_detections, moderation_labels, model_version, engine, attempt, "
            + "submitted_at, updated_at, completed_at";

    private final AgroalDataSource db;
    private final ObjectMapper json;
    private final WebhookConfig webhooks;

    public ResultRepository(AgroalDataSource db, ObjectMapper json, WebhookConfig webhooks) {
        this.db = db;
        this.json = json;
        this.webhooks = webhooks;
    }

    /**
     * When the oldest job that is still QUEUED or PROCESSING was submitted, across tenants; empty when
     * none is. One read of the partial index {@code jobs_unfinished_by_age}.
     */
    public Optional<Instant> oldestUnfinished() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT min(submitted_at) FROM jobs "
                        + "WHERE status IN ('QUEUED', 'PROCESSING')");
                ResultSet rows = s.executeQuery()) {
            Timestamp oldest = rows.next() ? rows.getTimestamp(1) : null;
            return Optional.ofNullable(oldest).map(Timestamp::toInstant);
        }
    }

    /** Applies a status event or result; true when it changed the job. */
    @Transactional
    public boolean apply(RecognitionResult r) throws SQLException {
        Instant submitted = r.submittedAt() != null ? r.submittedAt() : r.occurredAt();
        try (Connection c = db.getConnection()) {
            int changed;
            try (PreparedStatement s = c.prepareStatement(UPSERT)) {
                s.setString(1, r.jobId());
                s.setString(2, r.imageId());
                s.setString(3, r.tenant());
                s.setString(4, r.status().name());
                s.setInt(5, r.status().rank());
                s.setString(6, r.errorCode());
                s.setString(7, r.errorMessage());
                setJson(s, 8, r.labels());
                setJson(s, 9, r.imageProperties());
                setJson(s, 10, r.faceDetails());
                setJson(s, 11, r.textDetections());
                s.setString(12, r.modelVersion());
                s.setString(13, r.engine());
                s.setInt(14, r.attempt());
                s.setTimestamp(15, Timestamp.from(submitted));
                s.setTimestamp(16, Timestamp.from(r.occurredAt()));
                s.setTimestamp(17, r.status().isTerminal() ? Timestamp.from(r.occurredAt()) : null);
                s.setString(18, detectedText(r.textDetections()));
                if (r.faceDetails() != null && r.faceDetails().isArray()) {
                    s.setInt(19, r.faceDetails().size());
                } else {
                    s.setNull(19, Types.INTEGER);
                }
                setJson(s, 20, r.moderationLabels());
                changed = s.executeUpdate();
            }
            if (changed > 0 && r.labels() != null && r.labels().isArray()) {
                try (PreparedStatement s = c.prepareStatement(INSERT_LABEL)) {
                    for (JsonNode label : r.labels()) {
                        s.setString(1, r.jobId());
                        s.setString(2, r.tenant());
                        s.setString(3, r.imageId());
                        s.setString(4, label.path("Name").asText());
                        s.setFloat(5, (float) label.path("Confidence").asDouble());
                        s.setTimestamp(6, Timestamp.from(submitted));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            if (changed > 0 && r.moderationLabels() != null && r.moderationLabels().isArray()) {
                try (PreparedStatement s = c.prepareStatement(INSERT_MODERATION_LABEL)) {
                    for (JsonNode label : r.moderationLabels()) {
                        s.setString(1, r.jobId());
                        s.setString(2, r.tenant());
                        s.setString(3, r.imageId());
                        s.setString(4, label.path("Name").asText());
                        s.setString(5, label.path("ParentName").asText(""));
                        s.setFloat(6, (float) label.path("Confidence").asDouble());
                        s.setTimestamp(7, Timestamp.from(submitted));
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            }
            if (changed > 0) {
                long eventId = EventLog.append(c, r);
                Outbox.enqueue(c, r.tenant(), eventId, EventLog.type(r.status()), r.jobId(), r.callbackUrl(),
                        () -> body(findJob(c, r.tenant(), r.jobId()).orElseThrow()), webhooks.retryFor(), Instant.now());
            }
            return changed > 0;
        }
    }

    public Optional<JobView> findJob(String tenant, String jobId) throws SQLException {
        try (Connection c = db.getConnection()) {
            return findJob(c, tenant, jobId);
        }
    }

    private Optional<JobView> findJob(Connection c, String tenant, String jobId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + JOB_COLUMNS
                + " FROM jobs WHERE tenant = ? AND job_id = ?")) {
            s.setString(1, tenant);
            s.setString(2, jobId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(job(rs)) : Optional.empty();
            }
        }
    }

    /** A job's JSON as GET /v1/jobs/{id} answers it: the body of its webhook deliveries. */
    private String body(JobView job) throws SQLException {
        try {
            return json.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot serialise a job", e);
        }
    }

    /** Every job of an image, newest first. */
    public List<JobView> findJobsOfImage(String tenant, String imageId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + JOB_COLUMNS
                        + " FROM jobs WHERE tenant = ? AND image_id = ? ORDER BY submitted_at DESC, job_id DESC")) {
            s.setString(1, tenant);
            s.setString(2, imageId);
            List<JobView> jobs = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    jobs.add(job(rs));
                }
            }
            return jobs;
        }
    }

    /**
     * Images with a label at or above a confidence, newest first, after the keyset position
     * ({@code afterSubmitted}, {@code afterJobId}) when given.
     */
    public List<LabelMatch> findByLabel(String tenant, String label, float minConfidence, int limit,
            Instant afterSubmitted, String afterJobId) throws SQLException {
        return findInLabelTable("job_labels", tenant, label, minConfidence, limit, afterSubmitted, afterJobId);
    }

    /**
     * Images flagged with a moderation label (a top-level category such as Explicit, or a second-level
     * label) at or above a confidence, newest first, after the keyset position when given.
     */
    public List<LabelMatch> findByModerationLabel(String tenant, String label, float minConfidence, int limit,
            Instant afterSubmitted, String afterJobId) throws SQLException {
        return findInLabelTable("job_moderation_labels", tenant, label, minConfidence, limit, afterSubmitted,
                afterJobId);
    }

    /** One page of a label table ({@code job_labels} or {@code job_moderation_labels}): same columns, same index. */
    private List<LabelMatch> findInLabelTable(String table, String tenant, String label, float minConfidence,
            int limit, Instant afterSubmitted, String afterJobId) throws SQLException {
        return newestFirst("SELECT image_id, job_id, name, confidence, submitted_at FROM " + table
                + " WHERE tenant = ? AND name = ? AND confidence >= ?",
                (s, i) -> {
                    s.setString(i++, tenant);
                    s.setString(i++, label);
                    s.setFloat(i++, minConfidence);
                    return i;
                },
                limit, afterSubmitted, afterJobId,
                rs -> new LabelMatch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getFloat(4),
                        rs.getTimestamp(5).toInstant()));
    }

    /**
     * Images whose detected text matches all the words of {@code query} (PostgreSQL full-text search),
     * newest first, after the keyset position when given.
     */
    public List<TextMatch> findByText(String tenant, String query, int limit, Instant afterSubmitted,
            String afterJobId) throws SQLException {
        return newestFirst("SELECT image_id, job_id, detected_text, submitted_at FROM jobs"
                + " WHERE tenant = ? AND to_tsvector('simple', coalesce(detected_text, '')) @@ plainto_tsquery('simple', ?)",
                (s, i) -> {
                    s.setString(i++, tenant);
                    s.setString(i++, query);
                    return i;
                },
                limit, afterSubmitted, afterJobId,
                rs -> new TextMatch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
    }

    /**
     * Images whose job found from {@code minFaces} to {@code maxFaces} faces, newest first, after the
     * keyset position when given. Only jobs that asked for FACES have a count.
     */
    public List<FaceCountMatch> findByFaceCount(String tenant, int minFaces, int maxFaces, int limit,
            Instant afterSubmitted, String afterJobId) throws SQLException {
        return newestFirst("SELECT image_id, job_id, face_count, submitted_at FROM jobs"
                + " WHERE tenant = ? AND face_count BETWEEN ? AND ?",
                (s, i) -> {
                    s.setString(i++, tenant);
                    s.setInt(i++, minFaces);
                    s.setInt(i++, maxFaces);
                    return i;
                },
                limit, afterSubmitted, afterJobId,
                rs -> new FaceCountMatch(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getTimestamp(4).toInstant()));
    }

    /** Binds a query's filter parameters from {@code index} on and returns the next free index. */
    @FunctionalInterface
    private interface Filter {
        int bind(PreparedStatement s, int index) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * One page of a search, newest first: {@code selectWhere} (a SELECT with its WHERE clause over a
     * table with submitted_at and job_id) after the keyset position when given, at most {@code limit} rows.
     */
    private <T> List<T> newestFirst(String selectWhere, Filter filter, int limit, Instant afterSubmitted,
            String afterJobId, Row<T> row) throws SQLException {
        String sql = selectWhere
                + (afterSubmitted != null ? " AND (submitted_at, job_id) < (?, ?)" : "")
                + " ORDER BY submitted_at DESC, job_id DESC LIMIT ?";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = filter.bind(s, 1);
            if (afterSubmitted != null) {
                s.setTimestamp(i++, Timestamp.from(afterSubmitted));
                s.setString(i++, afterJobId);
            }
            s.setInt(i, limit);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        }
    }

    /** The LINE entries of DetectText's answer, one per line, for full-text search. */
    static String detectedText(JsonNode textDetections) {
        if (textDetections == null || !textDetections.isArray()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode t : textDetections) {
            if ("LINE".equals(t.path("Type").asText())) {
                text.append(text.length() == 0 ? "" : "\n").append(t.path("DetectedText").asText());
            }
        }
        return text.toString();
    }

    private JobView job(ResultSet rs) throws SQLException {
        String errorCode = rs.getString("error_code");
        return new JobView(rs.getString("job_id"), rs.getString("image_id"), rs.getString("status"),
                errorCode == null ? null : new JobView.Error(errorCode, rs.getString("error_message")),
                readJson(rs.getString("labels")), readJson(rs.getString("image_properties")),
                readJson(rs.getString("face_details")), readJson(rs.getString("text_detections")),
                readJson(rs.getString("moderation_labels")), rs.getString("model_version"), rs.getString("engine"), rs.getInt("attempt"),
                instant(rs, "submitted_at"), instant(rs, "updated_at"), instant(rs, "completed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private void setJson(PreparedStatement s, int index, JsonNode node) throws SQLException {
        if (node == null || node.isNull()) {
            s.setNull(index, Types.VARCHAR);
        } else {
            try {
                s.setString(index, json.writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new SQLException("cannot serialise a result part", e);
            }
        }
    }

    private JsonNode readJson(String text) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored JSON is unreadable", e);
        }
    }
}
