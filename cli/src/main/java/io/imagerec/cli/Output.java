package io.imagerec.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.imagerec.contracts.Json;

/**
 * The JSON lines on stdout, one object per line, always {@code file}, then {@code jobId} and
 * {@code imageId} when known, then {@code status}:
 * <ul>
 * <li>{@code QUEUED} (the receipt's status): accepted now;</li>
 * <li>{@code SKIPPED}: accepted by an earlier run (the state file), with that run's ids;</li>
 * <li>{@code ERROR}: not accepted, with {@code code}, {@code message} and {@code httpStatus} (0: no
 * answer);</li>
 * <li>with {@code --wait}, one more line per accepted or skipped file once its job ends: the job's
 * {@code SUCCEEDED} or {@code FAILED} with the whole job as {@code job}, or {@code ERROR} with code
 * {@code WAIT_TIMEOUT} or the API's code.</li>
 * </ul>
 */
final class Output {

    private static final ObjectMapper JSON = Json.mapper();

    private final PrintWriter out;
    private final Progress progress;

    Output(PrintWriter out, Progress progress) {
        this.out = out;
        this.progress = progress;
    }

    void accepted(String file, PlatformClient.Accepted a, long bytes, String sha256) {
        ObjectNode n = start(file, a.jobId(), a.imageId(), a.status());
        n.put("bytes", bytes);
        n.put("sha256", sha256);
        write(n);
    }

    void skipped(String file, StateFile.Entry previous) {
        ObjectNode n = start(file, previous.jobId(), previous.imageId(), "SKIPPED");
        if (previous.acceptedAt() != null) {
            n.put("acceptedAt", previous.acceptedAt().toString());
        }
        write(n);
    }

    void error(String file, String jobId, String imageId, int httpStatus, String code, String message) {
        ObjectNode n = start(file, jobId, imageId, "ERROR");
        n.put("code", code);
        n.put("message", message);
        n.put("httpStatus", httpStatus);
        write(n);
    }

    void finished(String file, String jobId, String imageId, JsonNode job) {
        ObjectNode n = start(file, jobId, imageId, job.path("status").asText());
        JsonNode error = job.path("error");
        if (error.hasNonNull("code")) {
            n.put("code", error.get("code").asText());
            n.put("message", error.path("message").asText(""));
        }
        n.set("job", job);
        write(n);
    }

    private static ObjectNode start(String file, String jobId, String imageId, String status) {
        ObjectNode n = JSON.createObjectNode();
        n.put("file", file);
        if (jobId != null) {
            n.put("jobId", jobId);
        }
        if (imageId != null) {
            n.put("imageId", imageId);
        }
        n.put("status", status);
        return n;
    }

    private void write(ObjectNode n) {
        String line;
        try {
            line = JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        synchronized (progress) {
            progress.clear();
            out.println(line);
            out.flush();
        }
    }
}
