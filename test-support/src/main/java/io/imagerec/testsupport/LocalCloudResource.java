package io.imagerec.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link TestCloud} around the service under test and points the service at it. Init
 * argument {@code engine=true} also starts the packaged rekognition-local; init arguments named
 * {@code engine.<property>} are passed to it as system properties ({@code engine.rekognition.quota.calls-per-second=2}
 * starts it with {@code -Drekognition.quota.calls-per-second=2}). Tests reach the running
 * cloud through {@link #cloud()} to inspect queues, buckets and tables or to inject faults.
 */
public class LocalCloudResource implements QuarkusTestResourceLifecycleManager {

    private static volatile TestCloud current;
    private static final String ENGINE_PROPERTY = "engine.";

    private boolean withEngine;
    private final Map<String, String> engineProperties = new LinkedHashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        withEngine = Boolean.parseBoolean(initArgs.getOrDefault("engine", "false"));
        initArgs.forEach((name, value) -> {
            if (name.startsWith(ENGINE_PROPERTY)) {
                engineProperties.put(name.substring(ENGINE_PROPERTY.length()), value);
            }
        });
    }

    @Override
    public Map<String, String> start() {
        try {
            current = TestCloud.start(withEngine, engineProperties);
        } catch (Exception e) {
            throw new IllegalStateException("the test cloud did not start", e);
        }
        return current.config();
    }

    @Override
    public void stop() {
        TestCloud cloud = current;
        current = null;
        if (cloud != null) {
            cloud.close();
        }
    }

    /** The cloud of the running test application. */
    public static TestCloud cloud() {
        TestCloud cloud = current;
        if (cloud == null) {
            throw new IllegalStateException("no test cloud is running: annotate the test with "
                    + "@QuarkusTestResource(LocalCloudResource.class)");
        }
        return cloud;
    }
}
