package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.imagerec.testsupport.GeneratedImages;

/** Many uploads at once, and what became of them, read straight from the results database. */
final class Jobs {

    private static final Map<String, String> NO_HEADERS = Map.of();

    private Jobs() {
    }

    /**
     * Uploads {@code n} distinct small images (at least 80 px a side, Rekognition's minimum); the ids of
     * the accepted jobs (all must be accepted).
     */
    static List<String> upload(Api api, int n, int seed) throws Exception {
        List<String> jobIds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Api.Answer answer = api.uploadRaw(GeneratedImages.jpeg(96 + (seed + i) % 400, 96 + (seed + i) / 400),
                    "image/jpeg", NO_HEADERS);
            assertEquals(202, answer.status(), answer.raw().body());
            jobIds.add(answer.body().path("jobId").asText());
        }
        return jobIds;
    }

    /** Each job's status (with its error code when FAILED); jobs not yet stored are absent. */
    static Map<String, String> statuses(Platform platform, List<String> jobIds) throws Exception {
        Map<String, String> statuses = new TreeMap<>();
        try (Connection c = platform.database();
                PreparedStatement s = c.prepareStatement("SELECT job_id, status, error_code FROM jobs WHERE job_id = ANY(?)")) {
            Array ids = c.createArrayOf("text", jobIds.toArray());
            s.setArray(1, ids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    statuses.put(rs.getString(1), rs.getString(2) + (rs.getString(3) == null ? "" : ":" + rs.getString(3)));
                }
            }
        }
        return statuses;
    }

    static long count(Platform platform, List<String> jobIds, String status) throws Exception {
        return statuses(platform, jobIds).values().stream().filter(status::equals).count();
    }

    /** Waits until every job is SUCCEEDED; fails at once if one ends FAILED. */
    static void awaitAllSucceeded(Platform platform, List<String> jobIds, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, String> last = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                last = statuses(platform, jobIds);
            } catch (java.sql.SQLException e) {
                Thread.sleep(1000);
                continue;
            }
            last.forEach((job, status) -> {
                if (status.startsWith("FAILED")) {
                    throw new AssertionError("job " + job + " ended " + status + " after a transient fault");
                }
            });
            if (last.size() == jobIds.size() && last.values().stream().allMatch("SUCCEEDED"::equals)) {
                return;
            }
            Thread.sleep(500);
        }
        long done = last.values().stream().filter("SUCCEEDED"::equals).count();
        throw new AssertionError(done + " of " + jobIds.size() + " jobs SUCCEEDED within " + within + "; " + last);
    }
}
