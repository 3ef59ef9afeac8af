package io.imagerec.results.search;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.contracts.JobStatus;
import io.imagerec.results.service.JobCursor;
import io.imagerec.results.service.ResultsException;

/**
 * Checks search and facet requests and pages their answers. Every bad value is 400 INVALID_PARAMETER
 * (a bad cursor INVALID_CURSOR) before the database is asked; the tenant comes from the caller's key.
 */
@ApplicationScoped
public class SearchService {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    public static final int DEFAULT_FACETS = 20;
    public static final int MAX_FACETS = 100;
    /** The longest label or label prefix searched for; Rekognition's label names are far shorter. */
    public static final int MAX_LABEL = 255;
    /** The longest text searched for. */
    public static final int MAX_TEXT = 1000;
    /** Dates a filter can name: the years PostgreSQL and ISO-8601 agree on, and beyond any job's. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** The raw query parameters of GET /v1/jobs, as the caller sent them. */
    public record Query(String label, Float minConfidence, String text, Integer minFaces, Integer maxFaces,
            String status, String from, String to, Integer limit, String cursor) {
    }

    private final SearchRepository repository;

    public SearchService(SearchRepository repository) {
        this.repository = repository;
    }

    /** One page of the tenant's jobs that pass every filter given, newest first. */
    public JobPage search(String tenant, Query query) throws SQLException {
        SearchFilter filter = filter(query);
        int size = bounded("limit", query.limit(), DEFAULT_LIMIT, MAX_LIMIT);
        JobCursor after = JobCursor.parse(query.cursor());
        List<SearchRepository.Found> rows = repository.search(tenant, filter, size + 1, after.submitted(),
                after.jobId());
        if (rows.size() <= size) {
            return new JobPage(rows.stream().map(SearchRepository.Found::job).toList(), null);
        }
        SearchRepository.Found last = rows.get(size - 1);
        return new JobPage(rows.subList(0, size).stream().map(SearchRepository.Found::job).toList(),
                new JobCursor(last.position(), last.job().jobId()).encode());
    }

    /** The tenant's label names from a prefix on, with how many jobs have each, highest count first. */
    public LabelFacets facets(String tenant, String prefix, Float minConfidence, Integer limit) throws SQLException {
        String start = present(prefix) ? checked("prefix", prefix, MAX_LABEL) : null;
        float min = confidence(minConfidence);
        int size = bounded("limit", limit, DEFAULT_FACETS, MAX_FACETS);
        return new LabelFacets(repository.facets(tenant, start, min, size));
    }

    /** The checked filters of a query. */
    static SearchFilter filter(Query q) {
        SearchFilter filter = SearchFilter.NONE;
        if (present(q.label())) {
            filter = filter.withLabel(checked("label", q.label(), MAX_LABEL), confidence(q.minConfidence()));
        } else if (q.minConfidence() != null) {
            throw invalid("minConfidence needs a label (e.g. ?label=Dog&minConfidence=80)");
        }
        if (present(q.text())) {
            filter = filter.withText(checked("text", q.text(), MAX_TEXT));
        }
        if (q.minFaces() != null || q.maxFaces() != null) {
            if ((q.minFaces() != null && q.minFaces() < 0) || (q.maxFaces() != null && q.maxFaces() < 0)
                    || (q.minFaces() != null && q.maxFaces() != null && q.maxFaces() < q.minFaces())) {
                throw invalid("minFaces and maxFaces must satisfy 0 <= minFaces <= maxFaces");
            }
            filter = filter.withFaces(q.minFaces(), q.maxFaces());
        }
        if (present(q.status())) {
            filter = filter.withStatus(status(q.status()));
        }
        Instant from = present(q.from()) ? date("from", q.from()) : null;
        Instant to = present(q.to()) ? date("to", q.to()) : null;
        if (from != null && to != null && to.isBefore(from)) {
            throw invalid("from must not be after to");
        }
        return filter.submitted(from, to);
    }

    private static String status(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        for (JobStatus s : JobStatus.values()) {
            if (s.name().equals(upper)) {
                return s.name();
            }
        }
        throw invalid("status must be one of QUEUED, PROCESSING, SUCCEEDED, FAILED");
    }

    /** An ISO-8601 date-time with an offset ({@code 2026-11-01T00:00:00Z}, {@code ...+01:00}). */
    private static Instant date(String name, String value) {
        Instant instant;
        try {
            instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, Instant::from);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid(name + " must be an ISO-8601 date-time with an offset, e.g. 2026-11-01T00:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw invalid(name + " must be from year 1 to year 9999");
        }
        return instant;
    }

    private static float confidence(Float value) {
        float min = value == null ? 0f : value;
        if (!(min >= 0 && min <= 100)) { // NaN too
            throw invalid("minConfidence must be from 0 to 100");
        }
        return min;
    }

    private static int bounded(String name, Integer value, int byDefault, int max) {
        int size = value == null ? byDefault : value;
        if (size < 1 || size > max) {
            throw invalid(name + " must be from 1 to " + max);
        }
        return size;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** A search value: at most {@code max} characters, no control characters. */
    private static String checked(String name, String value, int max) {
        if (!plausibleValue(value, max)) {
            throw invalid(name + " must be at most " + max + " characters, without control characters");
        }
        return value;
    }

    /** At most {@code max} characters and no control characters (a NUL, which PostgreSQL refuses). */
    static boolean plausibleValue(String value, int max) {
        return value != null && value.length() <= max && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static ResultsException invalid(String message) {
        return new ResultsException(400, "INVALID_PARAMETER", message);
    }
}
