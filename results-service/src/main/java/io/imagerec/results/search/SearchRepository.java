package io.imagerec.results.search;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Search and facets over jobs and job_labels. Every page is read by one index scan already in the
 * page's order (submitted_at DESC, job_id DESC) under a LIMIT, with the remaining filters applied to the
 * rows it reads, so a page never sorts all the matches:
 * <ul>
 * <li>with a label: job_labels_by_name (tenant, name, submitted_at, job_id), each row joined to its job by
 * primary key, where status, faces and text are checked;</li>
 * <li>else with a status: jobs_by_status (tenant, status, submitted_at, job_id);</li>
 * <li>else: jobs_newest (tenant, submitted_at, job_id).</li>
 * </ul>
 * The date range and the cursor are bounds of that index scan. Text is a filter on the ordered scan, not a
 * lookup in the full-text index: a common word matches a large part of a tenant's jobs, and the full-text
 * index would then fetch and sort all of them for each page. The cost of the ordered scan is the rows read
 * until a page is full, so a rare word over a large tenant reads further; combine it with a label, a
 * status or dates to narrow the scan. Pages run with sorting priced out ({@link #ORDERED_SCAN}), so the
 * planner keeps to this plan whatever it estimates. The statements are public so that a test can
 * EXPLAIN exactly them, under the same settings.
 */
@ApplicationScoped
public class SearchRepository {

    /** The text filter, as the full-text index of V2 defines the document. */
    private static final String TEXT_MATCHES =
            "to_tsvector('simple', coalesce(j.detected_text, '')) @@ plainto_tsquery('simple', ?)";
    private static final String JOB_COLUMNS = "j.job_id, j.image_id, j.status, j.submitted_at, j.completed_at, j.face_count";

    /**
     * An SQL statement, its parameters in order, and the planner settings it runs under (each SET LOCAL
     * in its own transaction, so a pooled connection keeps its defaults).
     */
    public record Statement(String sql, List<Object> params, List<String> settings) {

        /** The same statement prefixed ({@code EXPLAIN ...}), under the same settings. */
        public Statement prefixed(String prefix) {
            return new Statement(prefix + sql, params, settings);
        }

        /** Runs the query and hands each row to {@code row}. */
        public void query(Connection c, RowReader row) throws SQLException {
            boolean ownTransaction = !settings.isEmpty() && c.getAutoCommit();
            if (ownTransaction) {
                c.setAutoCommit(false);
            }
            try {
                try (java.sql.Statement set = c.createStatement()) {
                    for (String setting : settings) {
                        set.execute("SET LOCAL " + setting);
                    }
                }
                try (PreparedStatement s = prepare(c); ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
                if (ownTransaction) {
                    c.commit();
                }
            } catch (SQLException | RuntimeException e) {
                if (ownTransaction) {
                    try {
                        c.rollback();
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback); // a broken connection: the query's failure is the one to tell
                    }
                }
                throw e;
            } finally {
                if (ownTransaction) {
                    try {
                        c.setAutoCommit(true);
                    } catch (SQLException broken) {
                        // Only a broken connection refuses this; the pool validates it before its next use.
                    }
                }
            }
        }

        private PreparedStatement prepare(Connection c) throws SQLException {
            PreparedStatement s = c.prepareStatement(sql);
            try {
                for (int i = 0; i < params.size(); i++) {
                    Object p = params.get(i);
                    if (p instanceof String text) {
                        s.setString(i + 1, text);
                    } else if (p instanceof Float number) {
                        s.setFloat(i + 1, number);
                    } else if (p instanceof Integer number) {
                        s.setInt(i + 1, number);
                    } else if (p instanceof Instant instant) {
                        s.setTimestamp(i + 1, Timestamp.from(instant));
                    } else if (p instanceof String[] texts) {
                        s.setArray(i + 1, c.createArrayOf("text", texts));
                    } else {
                        throw new IllegalArgumentException("unexpected parameter " + p);
                    }
                }
                return s;
            } catch (SQLException | RuntimeException e) {
                s.close();
                throw e;
            }
        }
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** A job a search found, with the submission time its page is ordered by (the cursor's position). */
    public record Found(JobSummary job, Instant position) {
    }

    /**
     * The planner settings of a search page. Without them PostgreSQL weighs a Limit over the ordered scan
     * against fetching every match (a bitmap of the full-text or label index) and sorting it, by its
     * estimate of how many rows match; a combination of filters (a label and a word) is easily
     * underestimated tenfold, and then every page sorts all the matches. With sorting priced out, the
     * page is read in index order whatever the estimate: its cost is bounded by the rows read to fill it.
     */
    static final List<String> ORDERED_SCAN = List.of("enable_sort = off");

    private final AgroalDataSource db;

    public SearchRepository(AgroalDataSource db) {
        this.db = db;
    }

    /**
     * At most {@code limit} of the tenant's jobs that pass {@code filter}, newest first, after the keyset
     * position ({@code afterSubmitted}, {@code afterJobId}) when given; each with its labels.
     */
    public List<Found> search(String tenant, SearchFilter filter, int limit, Instant afterSubmitted, String afterJobId)
            throws SQLException {
        Statement page = searchStatement(tenant, filter, limit, afterSubmitted, afterJobId);
        try (Connection c = db.getConnection()) {
            List<Found> rows = new ArrayList<>();
            page.query(c, rs -> {
                Object faces = rs.getObject("face_count");
                rows.add(new Found(new JobSummary(rs.getString("job_id"), rs.getString("image_id"),
                        rs.getString("status"), instant(rs, "submitted_at"), instant(rs, "completed_at"),
                        faces == null ? null : ((Number) faces).intValue(), List.of()), instant(rs, "position")));
            });
            if (rows.isEmpty()) {
                return rows;
            }
            Map<String, List<JobSummary.LabelScore>> labels = new LinkedHashMap<>();
            labelsStatement(tenant, rows.stream().map(f -> f.job().jobId()).toList()).query(c,
                    rs -> labels.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                            .add(new JobSummary.LabelScore(rs.getString(2), rs.getFloat(3))));
            Comparator<JobSummary.LabelScore> highestFirst = Comparator
                    .comparingDouble((JobSummary.LabelScore l) -> l.confidence()).reversed()
                    .thenComparing(JobSummary.LabelScore::name);
            return rows.stream().map(f -> {
                List<JobSummary.LabelScore> its = new ArrayList<>(labels.getOrDefault(f.job().jobId(), List.of()));
                its.sort(highestFirst);
                JobSummary j = f.job();
                return new Found(new JobSummary(j.jobId(), j.imageId(), j.status(), j.submittedAt(), j.completedAt(),
                        j.faceCount(), List.copyOf(its)), f.position());
            }).toList();
        }
    }

    /** The statement {@link #search} pages with; see the class comment for the index each shape drives. */
    public Statement searchStatement(String tenant, SearchFilter filter, int limit, Instant afterSubmitted,
            String afterJobId) {
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        // The alias whose (submitted_at, job_id) the driving index holds: order, dates and cursor go on it.
        String key;
        String from;
        if (filter.label() != null) {
            key = "l";
            from = "job_labels l JOIN jobs j ON j.job_id = l.job_id";
            where.add("l.tenant = ?");
            params.add(tenant);
            where.add("l.name = ?");
            params.add(filter.label());
            where.add("l.confidence >= ?");
            params.add(filter.minConfidence());
            where.add("j.tenant = l.tenant");
        } else {
            key = "j";
            from = "jobs j";
            where.add("j.tenant = ?");
            params.add(tenant);
        }
        if (filter.status() != null) {
            where.add("j.status = ?");
            params.add(filter.status());
        }
        if (filter.from() != null) {
            where.add(key + ".submitted_at >= ?");
            params.add(filter.from());
        }
        if (filter.to() != null) {
            where.add(key + ".submitted_at < ?");
            params.add(filter.to());
        }
        if (afterSubmitted != null) {
            where.add("(" + key + ".submitted_at, " + key + ".job_id) < (?, ?)");
            params.add(afterSubmitted);
            params.add(afterJobId);
        }
        if (filter.minFaces() != null) {
            where.add("j.face_count >= ?");
            params.add(filter.minFaces());
        }
        if (filter.maxFaces() != null) {
            where.add("j.face_count <= ?");
            params.add(filter.maxFaces());
        }
        if (filter.text() != null) {
            where.add(TEXT_MATCHES);
            params.add(filter.text());
        }
        params.add(limit);
        String sql = "SELECT " + JOB_COLUMNS + ", " + key + ".submitted_at AS position FROM " + from
                + " WHERE " + String.join(" AND ", where)
                + " ORDER BY " + key + ".submitted_at DESC, " + key + ".job_id DESC LIMIT ?";
        return new Statement(sql, List.copyOf(params), ORDERED_SCAN);
    }

    /** The labels of a page's jobs, by the primary key of job_labels (job_id, name). */
    public Statement labelsStatement(String tenant, List<String> jobIds) {
        return new Statement("SELECT job_id, name, confidence FROM job_labels WHERE job_id = ANY (?) AND tenant = ?",
                List.of(jobIds.toArray(String[]::new), tenant), List.of());
    }

    /**
     * The tenant's label names that start with {@code prefix} (case-sensitive, as Rekognition names are
     * capitalised), each with the number of jobs that have it at or above {@code minConfidence}, highest
     * count first, at most {@code limit}.
     */
    public List<LabelFacets.LabelCount> facets(String tenant, String prefix, float minConfidence, int limit)
            throws SQLException {
        try (Connection c = db.getConnection()) {
            List<LabelFacets.LabelCount> counts = new ArrayList<>();
            facetsStatement(tenant, prefix, minConfidence, limit).query(c,
                    rs -> counts.add(new LabelFacets.LabelCount(rs.getString(1), rs.getLong(2))));
            return counts;
        }
    }

    /**
     * The facets' statement: a range of job_labels_facets (tenant, name in byte order, confidence), read
     * index-only; in byte order (COLLATE "C") the names with a prefix are exactly [prefix, next prefix).
     */
    public Statement facetsStatement(String tenant, String prefix, float minConfidence, int limit) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT name, count(*) AS jobs FROM job_labels WHERE tenant = ?");
        params.add(tenant);
        if (prefix != null && !prefix.isEmpty()) {
            sql.append(" AND name COLLATE \"C\" >= ?");
            params.add(prefix);
            String next = nextPrefix(prefix);
            if (next != null) {
                sql.append(" AND name COLLATE \"C\" < ?");
                params.add(next);
            }
        }
        sql.append(" AND confidence >= ? GROUP BY name ORDER BY jobs DESC, name COLLATE \"C\" LIMIT ?");
        params.add(minConfidence);
        params.add(limit);
        return new Statement(sql.toString(), List.copyOf(params), List.of());
    }

    /**
     * The least string, in code point order (UTF-8 byte order, PostgreSQL's "C"), above every string that
     * starts with {@code prefix}: its last code point raised by one (skipping the surrogates); null when
     * there is none (only U+10FFFF characters).
     */
    static String nextPrefix(String prefix) {
        int[] points = prefix.codePoints().toArray();
        for (int i = points.length - 1; i >= 0; i--) {
            if (points[i] < Character.MAX_CODE_POINT) {
                int next = points[i] + 1;
                if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
                    next = Character.MAX_SURROGATE + 1;
                }
                points[i] = next;
                return new String(points, 0, i + 1);
            }
        }
        return null;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
