package io.imagerec.ingest.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.client.MessageQueues;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready when the images bucket and both queues answer. */
@Readiness
@ApplicationScoped
public class DependenciesReadinessCheck implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ImageStore images;
    private final MessageQueues queues;

    public DependenciesReadinessCheck(ImageStore images, MessageQueues queues) {
        this.images = images;
        this.queues = queues;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("s3-and-sqs");
        return Uni.combine().all().unis(images.check(), queues.check()).discardItems()
                .ifNoItem().after(TIMEOUT).fail()
                .map(ok -> response.up().build())
                .onFailure().recoverWithItem(e -> response.down().withData("error", String.valueOf(e.getMessage()))
                        .build());
    }
}
