package io.imagerec.testcontainers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Skips a container test class with the reason where Docker or the images are missing (a user's machine:
 * the build still passes), or fails it when {@code -Dimagerec.docker.required=true} says they must be
 * there (CI, after deploy/docker/build-images.sh). The reason is also printed, for the build log.
 */
final class DockerRequirement implements ExecutionCondition {

    static final String REQUIRED_PROPERTY = "imagerec.docker.required";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<RequiresImages> required = context.getElement()
                .flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresImages.class));
        if (required.isEmpty()) {
            return ConditionEvaluationResult.enabled("no images required here");
        }
        Optional<String> reason = ImagerecImages.unavailable(required.get().value());
        if (reason.isEmpty()) {
            return ConditionEvaluationResult.enabled("Docker and the images are here");
        }
        String test = context.getDisplayName();
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            throw new IllegalStateException(test + ": " + reason.get() + ", but -D" + REQUIRED_PROPERTY
                    + "=true requires them");
        }
        String message = "Skipped " + test + ": " + reason.get() + " (-D" + REQUIRED_PROPERTY
                + "=true makes this a failure)";
        System.err.println(message);
        return ConditionEvaluationResult.disabled(message);
    }

    /** A sample photo of ../shared/testdata beside the clone, if it is there. */
    static Optional<Path> sample(String name) {
        Path root = Path.of(System.getProperty("repo.root", ".."));
        Path file = root.resolve("../shared/testdata").resolve(name).normalize();
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
