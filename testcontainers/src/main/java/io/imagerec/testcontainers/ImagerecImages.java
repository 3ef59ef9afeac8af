package io.imagerec.testcontainers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

import com.github.dockerjava.api.exception.NotFoundException;

/**
 * The platform's images and whether they can be used here. The images are built locally by
 * {@code deploy/docker/build-images.sh} ({@code imagerec/<service>:latest}); no registry serves them.
 *
 * <p>System properties: {@value #REPOSITORY_PROPERTY} (default {@value #DEFAULT_REPOSITORY}) and
 * {@value #TAG_PROPERTY} (default {@value #DEFAULT_TAG}) choose other names, e.g. images pushed to your
 * own registry.
 */
public final class ImagerecImages {

    public static final String REPOSITORY_PROPERTY = "imagerec.image.repository";
    public static final String TAG_PROPERTY = "imagerec.image.tag";
    public static final String DEFAULT_REPOSITORY = "imagerec";
    public static final String DEFAULT_TAG = "latest";

    public static final String LOCAL_CLOUD = "local-cloud";
    public static final String REKOGNITION_LOCAL = "rekognition-local";
    public static final String RESULTS_SERVICE = "results-service";
    public static final String RECOGNITION_WORKER = "recognition-worker";
    public static final String INGEST_SERVICE = "ingest-service";

    /** Every service of the platform, in the order a stack starts them. */
    public static final List<String> ALL = List.of(LOCAL_CLOUD, REKOGNITION_LOCAL, RESULTS_SERVICE, RECOGNITION_WORKER,
            INGEST_SERVICE);

    private ImagerecImages() {
    }

    /** The image of one service, e.g. {@code imagerec/rekognition-local:latest}. */
    public static DockerImageName image(String service) {
        String repository = System.getProperty(REPOSITORY_PROPERTY, DEFAULT_REPOSITORY);
        String tag = System.getProperty(TAG_PROPERTY, DEFAULT_TAG);
        return DockerImageName.parse(repository + "/" + service + ":" + tag);
    }

    /**
     * Why these services' images cannot be run here, or empty when they can: no Docker daemon answers,
     * or an image is not present locally (it is never pulled for this check). Meant for a test's
     * assumption: {@code unavailable(...).ifPresent(reason -> Assumptions.abort(reason))}.
     */
    public static Optional<String> unavailable(String... services) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.of("no Docker daemon answers here (start dockerd, or see docs/operate/containers.md)");
        }
        List<String> missing = new ArrayList<>();
        for (String service : services) {
            String name = image(service).asCanonicalNameString();
            try {
                DockerClientFactory.instance().client().inspectImageCmd(name).exec();
            } catch (NotFoundException e) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("image(s) " + String.join(", ", missing)
                    + " not built here (deploy/docker/build-base-image.sh, then deploy/docker/build-images.sh)");
        }
        return Optional.empty();
    }
}
