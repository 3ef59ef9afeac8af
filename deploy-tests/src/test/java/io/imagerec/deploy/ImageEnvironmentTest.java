package io.imagerec.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** What a module's container image reads itself counts as read by the module, in every deploy file's checks. */
class ImageEnvironmentTest {

    @Test
    void theImagesDeclareWhatTheirEntrypointsRead() {
        for (String module : Set.of("ingest-service", "results-service", "recognition-worker", "rekognition-local")) {
            Set<String> image = ServiceSettings.imageEnvironment(module);
            assertTrue(image.containsAll(Set.of("JAVA_OPTS", "DATABASE_PASSWORD_FILE", "BOOTSTRAP_API_KEY_FILE")),
                    module + ": " + image);
            assertTrue(ServiceSettings.of(module).environment().containsAll(image), module);
        }
        assertTrue(ServiceSettings.imageEnvironment("local-cloud").containsAll(Set.of("LOCAL_CLOUD_DATA_DIR", "JAVA_OPTS")));
        assertTrue(ServiceSettings.imageEnvironment("no-such-module").isEmpty());
    }
}
