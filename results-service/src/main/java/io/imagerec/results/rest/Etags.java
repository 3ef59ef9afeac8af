package io.imagerec.results.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jboss.resteasy.reactive.RestResponse;

import io.imagerec.results.repository.JobView;
import io.imagerec.results.service.ResultsQueryService;

/**
 * Weak ETags for polling: a job's answer changes only when its status, {@code updatedAt} or attempt does,
 * so those make its tag; an image's tag is made of its jobs'. {@code If-None-Match} with the current tag
 * (or {@code *}) answers 304 without a body.
 */
final class Etags {

    private Etags() {
    }

    static String of(JobView job) {
        return tag(version(job));
    }

    static String of(ResultsQueryService.ImageView image) {
        StringBuilder versions = new StringBuilder();
        image.jobs().forEach(j -> versions.append(j.jobId()).append('|').append(version(j)).append('\n'));
        return tag(versions.toString());
    }

    /** 304 with the tag when {@code ifNoneMatch} names it, else 200 with the entity and the tag. */
    static <T> RestResponse<T> answer(T entity, String etag, String ifNoneMatch, Integer retryAfterSeconds) {
        RestResponse.ResponseBuilder<T> answer = matches(ifNoneMatch, etag)
                ? RestResponse.ResponseBuilder.create(RestResponse.Status.NOT_MODIFIED)
                : RestResponse.ResponseBuilder.ok(entity);
        answer.header("ETag", etag);
        if (retryAfterSeconds != null) {
            answer.header("Retry-After", retryAfterSeconds);
        }
        return answer.build();
    }

    /** Weak comparison (RFC 9110, 13.1.2): {@code W/} is ignored on both sides. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        String opaque = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || opaque(c).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static String version(JobView job) {
        return job.status() + "|" + job.updatedAt() + "|" + job.attempt();
    }

    private static String tag(String version) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(version.getBytes(StandardCharsets.UTF_8));
            return "W/\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
