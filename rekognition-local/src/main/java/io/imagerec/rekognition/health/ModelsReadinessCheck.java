package io.imagerec.rekognition.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.imagerec.rekognition.model.ModelRegistry;

/** Ready once the models are loaded (they load at start-up, so a started engine is ready). */
@Readiness
@ApplicationScoped
public class ModelsReadinessCheck implements HealthCheck {

    private final ModelRegistry models;

    public ModelsReadinessCheck(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("models")
                .withData("labels", models.centernet().name())
                .withData("text-detection", models.textDetection().name())
                .withData("text-direction", models.textDirection().name())
                .withData("text-recognition", models.textRecognition().name())
                .withData("moderation", models.nsfw().name())
                .up()
                .build();
    }
}
