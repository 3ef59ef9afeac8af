package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.testsupport.GeneratedImages;
import io.imagerec.testsupport.WebhookReceiver;

/**
 * Webhooks on the packaged platform with two results replicas behind one database and queue, and a
 * consumer on loopback (allow-listed here): every result is delivered once and signed as the README
 * says; a delivery held by a replica killed with SIGKILL is sent by the other after the claim lease;
 * deliveries failing while every replica is stopped are delivered after a restart; an upload's callback
 * URL gets its job's end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksIT {

    private static final String[] WEBHOOK_SETTINGS = {
        "webhooks.allowed-private-networks=127.0.0.1/32",
        "webhooks.retry-initial-delay=1S",
        "webhooks.retry-max-delay=3S",
        "webhooks.read-timeout=20S",
        "webhooks.claim-lease=30S"};

    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("webhooks", p -> p
            .configure(Platform.RESULTS, WEBHOOK_SETTINGS)
            .configure(Platform.RESULTS_2, WEBHOOK_SETTINGS));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WebhookReceiver receiver;

    @BeforeAll
    static void secondReplicaAndConsumer() throws Exception {
        RUNNING.platform().startSecondResults();
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopConsumer() {
        if (receiver != null) {
            receiver.close();
        }
    }

    /** Subscribes a receiver path through a replica's API; the answer holds webhookId and secret. */
    private static JsonNode subscribe(String resultsUrl, String path) throws Exception {
        String body = JSON.writeValueAsString(Map.of("url", receiver.url(path), "events", List.of("job.succeeded")));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(resultsUrl + "/v1/webhooks"))
                .header("X-Api-Key", RUNNING.platform().operatorKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    /** Each delivery of a subscription: state, attempts, and the replica holding its claim. */
    private static Map<String, String> deliveries(String webhookId) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = RUNNING.platform().database(); PreparedStatement s = c.prepareStatement(
                "SELECT job_id, state, attempts, claimed_by FROM webhook_deliveries WHERE webhook_id = ?")) {
            s.setString(1, webhookId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2) + "/" + rs.getInt(3) + "/" + rs.getString(4));
                }
            }
        }
        return rows;
    }

    private static void await(String what, Duration within, Platform.Check check) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + within);
            }
            Thread.sleep(500);
        }
    }

    @Test
    @Order(1)
    void twoReplicasDeliverEveryResultOnceSigned() throws Exception {
        JsonNode hook = subscribe(RUNNING.platform().resultsUrl(), "/all");
        List<String> jobs = Jobs.upload(RUNNING.api(), 8, 1);
        Jobs.awaitAllSucceeded(RUNNING.platform(), jobs, Duration.ofMinutes(3));
        await("a delivery per job", Duration.ofMinutes(1), () -> receiver.received("/all").size() >= jobs.size());
        Thread.sleep(3000); // a second delivery of any of them would have come by now

        List<WebhookReceiver.Received> got = receiver.received("/all");
        Map<String, Long> perJob = got.stream().collect(Collectors.groupingBy(r -> jobId(r), TreeMap::new,
                Collectors.counting()));
        assertEquals(new HashSet<>(jobs), perJob.keySet(), "every job delivered");
        assertTrue(perJob.values().stream().allMatch(n -> n == 1), "each delivered once: " + perJob);
        for (WebhookReceiver.Received r : got) {
            assertTrue(WebhookReceiver.verifies(hook.path("secret").asText(), r), "signature of " + r.header(
                    "X-Imagerec-Delivery"));
            assertEquals("job.succeeded", r.header("X-Imagerec-Event"));
            assertEquals("SUCCEEDED", JSON.readTree(r.body()).path("status").asText());
        }
        Map<String, String> rows = deliveries(hook.path("webhookId").asText());
        assertTrue(rows.values().stream().allMatch(v -> v.startsWith("DELIVERED/1/")), rows.toString());
    }

    @Test
    @Order(2)
    void aDeliveryHeldByAKilledReplicaIsSentByTheOther() throws Exception {
        Platform platform = RUNNING.platform();
        receiver.script("/held", WebhookReceiver.Step.stall(60_000));
        JsonNode hook = subscribe(platform.secondResultsUrl(), "/held");
        String webhookId = hook.path("webhookId").asText();
        String job = Jobs.upload(RUNNING.api(), 1, 500).get(0);
        await("the first attempt reaching the consumer", Duration.ofMinutes(3),
                () -> receiver.received("/held").size() == 1);

        String claimedBy = deliveries(webhookId).get(job).split("/", 3)[2];
        long pid = Long.parseLong(claimedBy.substring(claimedBy.lastIndexOf(':') + 1));
        String holder = pid == platform.pid(Platform.RESULTS) ? Platform.RESULTS : Platform.RESULTS_2;
        assertEquals(pid, platform.pid(holder), "the claim names a running replica: " + claimedBy);
        platform.kill(holder); // SIGKILL while it waits for the consumer's answer

        await("the other replica sending it after the lease", Duration.ofMinutes(2),
                () -> receiver.received("/held").size() == 2);
        await("recorded as delivered", Duration.ofSeconds(30),
                () -> deliveries(webhookId).get(job).startsWith("DELIVERED/2/"));
        List<WebhookReceiver.Received> got = receiver.received("/held");
        assertEquals(got.get(0).header("X-Imagerec-Delivery"), got.get(1).header("X-Imagerec-Delivery"),
                "the same delivery, sent again: the consumer dedupes by its id");
        assertTrue(WebhookReceiver.verifies(hook.path("secret").asText(), got.get(1)));

        if (holder.equals(Platform.RESULTS)) {
            platform.startResults();
        } else {
            platform.startSecondResults();
        }
    }

    @Test
    @Order(3)
    void deliveriesFailingWhenEveryReplicaStopsAreDeliveredAfterARestart() throws Exception {
        Platform platform = RUNNING.platform();
        receiver.otherwise(path -> path.equals("/later") ? 503 : 200);
        JsonNode hook = subscribe(platform.resultsUrl(), "/later");
        String webhookId = hook.path("webhookId").asText();
        List<String> jobs = Jobs.upload(RUNNING.api(), 2, 700);
        await("failed attempts", Duration.ofMinutes(3), () -> receiver.received("/later").size() >= 4);

        platform.stop(Platform.RESULTS);
        platform.stop(Platform.RESULTS_2);
        Map<String, String> whileDown = deliveries(webhookId);
        assertEquals(Set.copyOf(jobs), whileDown.keySet());
        assertTrue(whileDown.values().stream().allMatch(v -> v.startsWith("PENDING/")), whileDown.toString());
        receiver.otherwise(path -> 200);

        platform.startResults();
        await("both delivered after the restart", Duration.ofMinutes(1),
                () -> deliveries(webhookId).values().stream().allMatch(v -> v.startsWith("DELIVERED/")));
        Set<String> delivered = receiver.received("/later").stream().filter(r -> true).map(WebhooksIT::jobId)
                .collect(Collectors.toSet());
        assertEquals(Set.copyOf(jobs), delivered);
    }

    @Test
    @Order(4)
    void anUploadsCallbackUrlGetsItsEndThroughThePipeline() throws Exception {
        JsonNode hook = subscribe(RUNNING.platform().resultsUrl(), "/callbacks/");
        String callback = receiver.url("/callbacks/upload-1");
        Api.Answer accepted = RUNNING.api().uploadMultipart("cb.jpg", GeneratedImages.jpeg(160, 120), Map.of(),
                "callbackUrl=" + URLEncoder.encode(callback, StandardCharsets.UTF_8));
        assertEquals(202, accepted.status(), accepted.raw().body());
        String job = accepted.body().path("jobId").asText();
        await("the callback", Duration.ofMinutes(2), () -> receiver.received("/callbacks/upload-1").size() == 1);
        WebhookReceiver.Received got = receiver.received("/callbacks/upload-1").get(0);
        assertTrue(WebhookReceiver.verifies(hook.path("secret").asText(), got));
        assertEquals("job.succeeded", got.header("X-Imagerec-Event"));
        assertEquals(job, jobId(got));
    }

    private static String jobId(WebhookReceiver.Received r) {
        try {
            return JSON.readTree(r.body()).path("jobId").asText();
        } catch (Exception e) {
            throw new AssertionError("a delivery body that is not JSON: " + r.body(), e);
        }
    }
}
