package io.imagerec.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link TestCloud} around the service under test and points the service at it. Init
 * argument {@code engine=true} also starts the packaged rekognition-local. Tests reach the running
 * cloud through {@link #cloud()} to inspect queues, buckets and tables or to inject faults.
 */
public class LocalCloudResource implements QuarkusTestResourceLifecycleManager {

    private static volatile TestCloud current;
    private boolean withEngine;

    @Override
    public void init(Map<String, String> initArgs) {
        withEngine = Boolean.parseBoolean(initArgs.getOrDefault("engine", "false"));
    }

    @Override
    public Map<String, String> start() {
        try {
            current = TestCloud.start(withEngine);
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
