package io.imagerec.ingest.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.client.MessageQueues;

/** Ready when the images bucket and both queues answer. */
@Readiness
@ApplicationScoped
public class DependenciesReadinessCheck implements HealthCheck {

    private final ImageStore images;
    private final MessageQueues queues;

    public DependenciesReadinessCheck(ImageStore images, MessageQueues queues) {
        this.images = images;
        this.queues = queues;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("s3-and-sqs");
        try {
            images.check();
            queues.check();
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
