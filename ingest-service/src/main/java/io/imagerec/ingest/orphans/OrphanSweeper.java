package io.imagerec.ingest.orphans;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.Tenants;
import io.imagerec.security.ApiKeyMechanism;
import io.imagerec.security.SecurityConfig;
import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.config.IngestConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Removes images whose job never reached the queue. When SendMessage's outcome is unknown, ingest keeps
 * the image (its job may run) and writes a marker {@code orphans/<tenant>/<imageId>} naming the job.
 * Once a marker is older than {@code ingest.orphans.grace}, the job is looked up on results-service:
 * known there, only the marker goes; certainly unknown (404), the image goes too; anything else (the
 * results service unreachable, an answer that may just mean "not yet"), both stay for the next sweep.
 */
@ApplicationScoped
public class OrphanSweeper {

    private static final Logger LOG = Logger.getLogger(OrphanSweeper.class);
    public static final String PREFIX = "orphans/";
    /** A sweep runs on a worker thread and waits for each S3 call; the client's own timeout comes first. */
    private static final Duration SWEEP_CALL_TIMEOUT = Duration.ofSeconds(60);

    /** What a marker says. */
    public record Marker(String tenant, String jobId, String imageKey, Instant at) {
    }

    private final ImageStore images;
    private final IngestConfig config;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Clock clock = Clock.systemUTC();

    /** The operator's key: results-service answers about any tenant's job to it (X-Tenant-Id). */
    private final Optional<String> operatorKey;

    public OrphanSweeper(ImageStore images, IngestConfig config, ObjectMapper json, SecurityConfig security) {
        this.images = images;
        this.config = config;
        this.json = json;
        this.operatorKey = security.bootstrapKey().filter(k -> !k.isBlank());
    }

    /** Records an image kept after an enqueue with an unknown outcome; best effort. */
    public Uni<Void> mark(String tenant, String imageId, String jobId, String imageKey) {
        byte[] marker;
        try {
            marker = json.writeValueAsBytes(new Marker(tenant, jobId, imageKey, clock.instant()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return images.put(PREFIX + tenant + "/" + imageId, marker, "application/json")
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Could not mark %s as a possible orphan: %s", imageKey, e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    @Scheduled(every = "${ingest.orphans.sweep-every}", delayed = "${ingest.orphans.sweep-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            sweep();
        } catch (SdkException | TimeoutException e) {
            LOG.warnf("Sweeping orphaned images failed; next time: %s", e.getMessage());
        }
    }

    /** One sweep; the number of images removed. */
    public int sweep() {
        Instant before = clock.instant().minus(config.orphans().grace());
        return (int) images.list(PREFIX).await().atMost(SWEEP_CALL_TIMEOUT).stream()
                .filter(o -> o.lastModified().isBefore(before)).filter(this::settle).count();
    }

    /** Settles one marker; true when its image was removed. */
    private boolean settle(ImageStore.Listed listed) {
        Marker marker;
        try {
            marker = json.readValue(images.get(listed.key()).await().atMost(SWEEP_CALL_TIMEOUT).orElseThrow().bytes(),
                    Marker.class);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Unreadable orphan marker %s is left alone: %s", listed.key(), e.getMessage());
            return false;
        }
        Boolean known = jobKnown(marker);
        if (known == null) {
            return false;
        }
        if (!known) {
            images.delete(marker.imageKey()).await().atMost(SWEEP_CALL_TIMEOUT);
            LOG.infof("Removed %s: its job %s never reached the queue", marker.imageKey(), marker.jobId());
        }
        images.delete(listed.key()).await().atMost(SWEEP_CALL_TIMEOUT);
        return !known;
    }

    /** True when results-service has the job, false when it certainly has not, null when it cannot tell. */
    private Boolean jobKnown(Marker marker) {
        if (Tenants.fromHeader(marker.tenant()) == null || operatorKey.isEmpty()) {
            // Without the operator's key nothing can be asked: the image is kept (never removed in doubt).
            return null;
        }
        URI uri = URI.create(config.resultsInternalUrl().orElse(config.resultsBaseUrl()).replaceAll("/+$", "") + "/v1/jobs/"
                + URLEncoder.encode(marker.jobId(), StandardCharsets.UTF_8));
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header(Tenants.HEADER, marker.tenant())
                    .header(ApiKeyMechanism.HEADER, operatorKey.get()).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 404) {
                // Only results-service's own verdict, not a 404 from a wrong URL or a proxy in between.
                return "JOB_NOT_FOUND".equals(json.readTree(answer.body()).path("error").path("code").asText())
                        ? Boolean.FALSE : null;
            }
            if (answer.statusCode() == 200) {
                JsonNode job = json.readTree(answer.body());
                // A job answered without its image id is one the results service only presumes QUEUED.
                return job.hasNonNull("imageId") ? Boolean.TRUE : null;
            }
            return null;
        } catch (IOException e) {
            LOG.debugf("results-service cannot tell about job %s now: %s", marker.jobId(), e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
