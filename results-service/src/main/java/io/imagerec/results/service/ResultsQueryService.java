package io.imagerec.results.service;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Tenants;
import io.imagerec.results.config.ResultsConfig;
import io.imagerec.results.repository.JobView;
import io.imagerec.results.repository.LabelMatch;
import io.imagerec.results.repository.ResultRepository;
import io.imagerec.results.repository.FaceCountMatch;
import io.imagerec.results.repository.TextMatch;

/** The read side: one tenant sees only its own jobs; label search pages with an opaque cursor. */
@ApplicationScoped
public class ResultsQueryService {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    /** The longest label searched for; Rekognition's label names are far shorter. */
    public static final int MAX_LABEL = 255;
    /** The longest text searched for. */
    public static final int MAX_TEXT = 1000;
    /** No job or image id is longer; a longer one, or one with control characters, cannot exist. */
    static final int MAX_ID = 255;

    /** Images of one image id, newest job first. */
    public record ImageView(String imageId, List<JobView> jobs) {
    }

    /** One page of search results; {@code nextCursor} is null on the last page. */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    private final ResultRepository repository;
    private final Duration pendingWindow;
    private final Clock clock = Clock.systemUTC();

    public ResultsQueryService(ResultRepository repository, ResultsConfig config) {
        this.repository = repository;
        this.pendingWindow = config.pendingWindow();
    }

    /**
     * A job as stored; or, for a job id made within the pending window whose first event has not been
     * stored yet (an upload answered 202 a moment ago), QUEUED with only its id and submission time.
     * The same answer goes to any tenant and for any well-formed recent id, so it tells nothing about
     * another tenant's jobs.
     */
    public JobView job(String tenantHeader, String jobId) throws SQLException {
        String tenant = tenant(tenantHeader);
        if (!plausibleId(jobId)) {
            throw new ResultsException(404, "JOB_NOT_FOUND", "No job " + jobId);
        }
        Optional<JobView> stored = repository.findJob(tenant, jobId);
        if (stored.isPresent()) {
            return stored.get();
        }
        Instant now = clock.instant();
        return JobIds.createdAt(jobId)
                .filter(made -> !made.isAfter(now.plusSeconds(60)) && made.isAfter(now.minus(pendingWindow)))
                .map(made -> new JobView(jobId, null, JobStatus.QUEUED.name(), null, null, null, null, null, null,
                        null, null, 0, made, made, null))
                .orElseThrow(() -> new ResultsException(404, "JOB_NOT_FOUND", "No job " + jobId));
    }

    public ImageView image(String tenantHeader, String imageId) throws SQLException {
        String tenant = tenant(tenantHeader);
        List<JobView> jobs = plausibleId(imageId) ? repository.findJobsOfImage(tenant, imageId) : List.of();
        if (jobs.isEmpty()) {
            throw new ResultsException(404, "IMAGE_NOT_FOUND", "No image " + imageId);
        }
        return new ImageView(imageId, jobs);
    }

    public Page<LabelMatch> byLabel(String tenantHeader, String label, Float minConfidence, Integer limit,
            String cursor) throws SQLException {
        return labelPage("label", repository::findByLabel, tenantHeader, label, minConfidence, limit, cursor);
    }

    public Page<LabelMatch> byModerationLabel(String tenantHeader, String label, Float minConfidence, Integer limit,
            String cursor) throws SQLException {
        return labelPage("moderationLabel", repository::findByModerationLabel, tenantHeader, label, minConfidence,
                limit, cursor);
    }

    /** How the repository finds one kind of label: {@code findByLabel} or {@code findByModerationLabel}. */
    @FunctionalInterface
    private interface LabelFinder {
        List<LabelMatch> find(String tenant, String label, float minConfidence, int limit, Instant afterSubmitted,
                String afterJobId) throws SQLException;
    }

    private Page<LabelMatch> labelPage(String parameter, LabelFinder finder, String tenantHeader, String label,
            Float minConfidence, Integer limit, String cursor) throws SQLException {
        float min = minConfidence == null ? 0f : minConfidence;
        if (!(min >= 0 && min <= 100)) { // NaN too
            throw new ResultsException(400, "INVALID_PARAMETER", "minConfidence must be from 0 to 100");
        }
        searched(parameter, label, MAX_LABEL);
        int size = limit(limit);
        JobCursor after = JobCursor.parse(cursor);
        List<LabelMatch> rows = finder.find(tenant(tenantHeader), label, min, size + 1, after.submitted(),
                after.jobId());
        return page(rows, size, m -> new JobCursor(m.submittedAt(), m.jobId()));
    }

    public Page<TextMatch> byText(String tenantHeader, String text, Integer limit, String cursor) throws SQLException {
        searched("text", text, MAX_TEXT);
        int size = limit(limit);
        JobCursor after = JobCursor.parse(cursor);
        List<TextMatch> rows = repository.findByText(tenant(tenantHeader), text, size + 1, after.submitted(),
                after.jobId());
        return page(rows, size, m -> new JobCursor(m.submittedAt(), m.jobId()));
    }

    public Page<FaceCountMatch> byFaceCount(String tenantHeader, Integer minFaces, Integer maxFaces, Integer limit,
            String cursor) throws SQLException {
        int min = minFaces == null ? 0 : minFaces;
        int max = maxFaces == null ? Integer.MAX_VALUE : maxFaces;
        if (min < 0 || max < min) {
            throw new ResultsException(400, "INVALID_PARAMETER", "minFaces and maxFaces must satisfy 0 <= minFaces <= maxFaces");
        }
        int size = limit(limit);
        JobCursor after = JobCursor.parse(cursor);
        List<FaceCountMatch> rows = repository.findByFaceCount(tenant(tenantHeader), min, max, size + 1,
                after.submitted(), after.jobId());
        return page(rows, size, m -> new JobCursor(m.submittedAt(), m.jobId()));
    }

    /**
     * Ids are UUIDs made by ingest; one with a control character (a NUL, which PostgreSQL refuses) or longer
     * than any id cannot exist, and is not looked for.
     */
    static boolean plausibleId(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_ID && !hasControlCharacters(id);
    }

    /** A search value: at most {@code max} characters, no control characters. */
    private static void searched(String name, String value, int max) {
        if (value.length() > max || hasControlCharacters(value)) {
            throw new ResultsException(400, "INVALID_PARAMETER", name + " must be at most " + max
                    + " characters, without control characters");
        }
    }

    private static boolean hasControlCharacters(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static int limit(Integer limit) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new ResultsException(400, "INVALID_PARAMETER", "limit must be from 1 to " + MAX_LIMIT);
        }
        return size;
    }

    private static <T> Page<T> page(List<T> rows, int size, java.util.function.Function<T, JobCursor> position) {
        if (rows.size() <= size) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = rows.subList(0, size);
        return new Page<>(List.copyOf(items), position.apply(items.get(size - 1)).encode());
    }

    private static String tenant(String header) {
        String tenant = Tenants.fromHeader(header);
        if (tenant == null) {
            throw new ResultsException(400, "INVALID_TENANT",
                    Tenants.HEADER + " must be lower-case letters, digits and dashes (at most 63)");
        }
        return tenant;
    }
}
