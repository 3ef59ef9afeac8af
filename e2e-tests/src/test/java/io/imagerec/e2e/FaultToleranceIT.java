package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;
import io.imagerec.testsupport.GeneratedImages;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Processes that die: the engine killed for 30 s, local-cloud killed and restarted with jobs in flight,
 * and a worker stopped and killed in the middle of 200 jobs. Every accepted upload ends SUCCEEDED,
 * none FAILED, nothing is stored or reported twice, and the worker takes new jobs afterwards. And the
 * images of refused uploads whose enqueue had an unknown outcome: removed only if their job never ran.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    private static final Map<String, String> NO_HEADERS = Map.of();

    /** Orphaned images are swept within seconds here, not after 15 days. */
    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("faults", p -> p
            .configure(Platform.INGEST, "ingest.orphans.grace=10S", "ingest.orphans.sweep-every=2s",
                    "quarkus.sqs.sync-client.socket-timeout=2S")
            .configure(Platform.RESULTS, "results.pending-window=1S"));

    private static void assertStillWorking(int seed) throws Exception {
        Jobs.awaitAllSucceeded(RUNNING.platform(), Jobs.upload(RUNNING.api(), 1, seed), Duration.ofMinutes(2));
    }

    @Test
    @Order(1)
    void jobsSurviveTheEngineKilledForThirtySeconds() throws Exception {
        List<String> jobs = new ArrayList<>(Jobs.upload(RUNNING.api(), 3, 1));
        RUNNING.platform().kill(Platform.ENGINE);
        jobs.addAll(Jobs.upload(RUNNING.api(), 3, 10));
        Thread.sleep(30_000);
        RUNNING.platform().startEngine();
        Jobs.awaitAllSucceeded(RUNNING.platform(), jobs, Duration.ofMinutes(5));
        assertStillWorking(20);
    }

    @Test
    @Order(2)
    void jobsInFlightSurviveLocalCloudKilledAndRestarted() throws Exception {
        List<String> jobs = Jobs.upload(RUNNING.api(), 6, 30);
        RUNNING.platform().kill(Platform.LOCAL_CLOUD);
        Api.Answer refused = RUNNING.api().uploadRaw(GeneratedImages.jpeg(120, 90), "image/jpeg", NO_HEADERS);
        assertEquals(503, refused.status(), refused.raw().body());
        assertTrue(refused.raw().headers().firstValue("Retry-After").isPresent());
        Thread.sleep(10_000);
        RUNNING.platform().startLocalCloud();
        Jobs.awaitAllSucceeded(RUNNING.platform(), jobs, Duration.ofMinutes(5));
        assertStillWorking(40);
    }

    @Test
    @Order(3)
    void aWorkerStoppedAndKilledInTheMiddleOf200JobsLosesAndRepeatsNothing() throws Exception {
        RUNNING.platform().stop(Platform.WORKER);
        double succeededBefore = appliedEvents("SUCCEEDED");
        List<String> jobs = Jobs.upload(RUNNING.api(), 200, 100);
        RUNNING.platform().startWorker();

        await(() -> Jobs.count(RUNNING.platform(), jobs, "SUCCEEDED") >= 40, Duration.ofMinutes(3));
        Duration exit = RUNNING.platform().stop(Platform.WORKER);
        assertTrue(exit.compareTo(Duration.ofSeconds(30)) < 0, "SIGTERM: exited in " + exit);
        long afterStop = Jobs.count(RUNNING.platform(), jobs, "SUCCEEDED");
        assertTrue(afterStop < 200, "stopped mid-stream, " + afterStop + " done");
        // What the stopped worker held was released (visibility 0), not left hidden for a minute.
        List<Long> held = new ArrayList<>();
        await(() -> {
            held.add(RUNNING.platform().jobsInFlight());
            return held.get(held.size() - 1) == 0;
        }, Duration.ofSeconds(10), () -> "jobs still hidden after the worker exited: " + held);

        RUNNING.platform().startWorker();
        await(() -> Jobs.count(RUNNING.platform(), jobs, "SUCCEEDED") >= afterStop + 40, Duration.ofMinutes(3));
        RUNNING.platform().kill(Platform.WORKER);
        RUNNING.platform().startWorker();

        Jobs.awaitAllSucceeded(RUNNING.platform(), jobs, Duration.ofMinutes(5));
        assertEquals(200, Jobs.statuses(RUNNING.platform(), jobs).size(), "one row per job");
        // Redelivered jobs are analysed again, but their results change nothing the second time.
        await(() -> appliedEvents("SUCCEEDED") - succeededBefore >= 200, Duration.ofSeconds(30));
        assertEquals(200.0, appliedEvents("SUCCEEDED") - succeededBefore, "one SUCCEEDED event applied per job");
        assertStillWorking(400);
    }

    @Test
    @Order(4)
    void anImageWhoseJobNeverReachedTheQueueIsRemovedAndOneWhoseJobDidIsKept() throws Exception {
        try (S3Client s3 = RUNNING.platform().s3Client()) {
            // The request never reaches SQS: refused with 503, the image kept and marked, as the outcome is unknown.
            List<JsonNode> markers = new ArrayList<>();
            RUNNING.platform().sqs.blackhole();
            assertEquals(503, RUNNING.api().uploadRaw(GeneratedImages.jpeg(130, 90), "image/jpeg", NO_HEADERS).status());
            markers.addAll(markers(s3));
            // SQS stores the job but its answer is lost: refused as well, and the job runs.
            RUNNING.platform().sqs.cutAll();
            RUNNING.platform().sqs.dropResponses();
            assertEquals(503, RUNNING.api().uploadRaw(GeneratedImages.jpeg(131, 90), "image/jpeg", NO_HEADERS).status());
            RUNNING.platform().sqs.cutAll();
            RUNNING.platform().sqs.pass();
            markers(s3).stream().filter(m -> !markers.contains(m)).forEach(markers::add);

            assertEquals(2, markers.size(), markers.toString());
            await(() -> keys(s3, "orphans/").isEmpty(), Duration.ofMinutes(2));
            List<String> ran = new ArrayList<>();
            for (JsonNode marker : markers) {
                String jobId = marker.path("jobId").asText();
                boolean imageKept = keys(s3, marker.path("imageKey").asText()).size() == 1;
                if (Jobs.statuses(RUNNING.platform(), List.of(jobId)).isEmpty()) {
                    assertTrue(!imageKept, "the image of a job that never ran is removed: " + marker);
                } else {
                    ran.add(jobId);
                    assertTrue(imageKept, "the image of a job that ran is kept: " + marker);
                }
            }
            assertEquals(1, ran.size(), "one of the two jobs reached the queue");
            Jobs.awaitAllSucceeded(RUNNING.platform(), ran, Duration.ofMinutes(2));
        }
    }

    /** The orphan markers now in the bucket. */
    private static List<JsonNode> markers(S3Client s3) throws Exception {
        List<JsonNode> markers = new ArrayList<>();
        for (String key : keys(s3, "orphans/")) {
            markers.add(Json.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket("images").key(key)).asByteArray()));
        }
        return markers;
    }

    private static List<String> keys(S3Client s3, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket("images").prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }

    private static double appliedEvents(String status) throws Exception {
        return RUNNING.platform().metric(RUNNING.platform().resultsManagementUrl(), "results_messages_total", Map.of("status", status,
                "applied", "true"));
    }

    private static void await(Platform.Check condition, Duration within) throws Exception {
        await(condition, within, () -> "");
    }

    private static void await(Platform.Check condition, Duration within, java.util.function.Supplier<String> detail)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + " " + detail.get());
            }
            Thread.sleep(250);
        }
    }
}
