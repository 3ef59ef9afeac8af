package io.imagerec.results.search;

import java.time.Instant;

/**
 * The filters of one search, checked; every one may be absent (null), and all that are present must hold.
 *
 * @param label          a label the job has, at or above {@code minConfidence} (0 when absent)
 * @param text           words the job's detected text contains (PostgreSQL full-text search, 'simple')
 * @param minFaces       at least this many faces (jobs that asked for FACES only)
 * @param maxFaces       at most this many faces (jobs that asked for FACES only)
 * @param status         QUEUED, PROCESSING, SUCCEEDED or FAILED
 * @param from           submitted at or after
 * @param to             submitted before
 */
public record SearchFilter(String label, float minConfidence, String text, Integer minFaces, Integer maxFaces,
        String status, Instant from, Instant to) {

    /** No filter: all the tenant's jobs. */
    public static final SearchFilter NONE = new SearchFilter(null, 0f, null, null, null, null, null, null);

    public SearchFilter withLabel(String name, float min) {
        return new SearchFilter(name, min, text, minFaces, maxFaces, status, from, to);
    }

    public SearchFilter withText(String words) {
        return new SearchFilter(label, minConfidence, words, minFaces, maxFaces, status, from, to);
    }

    public SearchFilter withFaces(Integer min, Integer max) {
        return new SearchFilter(label, minConfidence, text, min, max, status, from, to);
    }

    public SearchFilter withStatus(String s) {
        return new SearchFilter(label, minConfidence, text, minFaces, maxFaces, s, from, to);
    }

    public SearchFilter submitted(Instant after, Instant before) {
        return new SearchFilter(label, minConfidence, text, minFaces, maxFaces, status, after, before);
    }
}
