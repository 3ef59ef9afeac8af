package io.imagerec.results;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.Json;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;

/** Result messages as the worker sends them, put on the real results queue. */
public final class Results {

    private Results() {
    }

    public static RecognitionResult of(String jobId, String tenant, JobStatus status, Instant at) {
        return new RecognitionResult(RecognitionResult.SCHEMA, jobId, "img-" + jobId, tenant, status, null, null,
                status == JobStatus.SUCCEEDED ? labels("Dog", 97.5, "Animal", 97.5) : null, null, null, null,
                status == JobStatus.SUCCEEDED ? "3.0" : null, status == JobStatus.SUCCEEDED ? "local" : null, 1,
                at.minusSeconds(5), at);
    }

    public static RecognitionResult failed(String jobId, String tenant, String code, Instant at) {
        return new RecognitionResult(RecognitionResult.SCHEMA, jobId, "img-" + jobId, tenant, JobStatus.FAILED, code,
                "it failed", null, null, null, null, null, null, 5, at.minusSeconds(5), at);
    }

    public static JsonNode labels(Object... nameConfidence) {
        ArrayNode labels = Json.mapper().createArrayNode();
        for (int i = 0; i < nameConfidence.length; i += 2) {
            labels.addObject().put("Name", (String) nameConfidence[i]).put("Confidence", (Double) nameConfidence[i + 1])
                    .putArray("Instances");
        }
        return labels;
    }

    public static String newJobId() {
        return UUID.randomUUID().toString();
    }

    public static void send(RecognitionResult... results) {
        for (RecognitionResult r : results) {
            sendRaw(write(r));
        }
    }

    public static void sendRaw(String body) {
        TestCloud cloud = LocalCloudResource.cloud();
        cloud.sqsClient().sendMessage(b -> b.queueUrl(cloud.queueUrl(TestCloud.RESULTS_QUEUE)).messageBody(body));
    }

    public static String write(RecognitionResult r) {
        try {
            return Json.mapper().writeValueAsString(r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + within);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
