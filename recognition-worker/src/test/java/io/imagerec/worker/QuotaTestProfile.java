package io.imagerec.worker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.imagerec.testsupport.LocalCloudResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * {@link WorkerTestProfile}'s settings against an engine with a small quota (2 calls/s, no burst,
 * both refusals alternating), and a call timeout long enough for the SDK's throttling back-off.
 */
public class QuotaTestProfile implements QuarkusTestProfile {

    public static final String ENGINE_QUOTA = "2";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new WorkerTestProfile().getConfigOverrides());
        config.put("worker.rekognition.call-timeout", "45S");
        config.put("worker.jobs.visibility", "30S");
        config.put("mp.messaging.incoming.recognition-jobs.visibility-timeout", "30");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalCloudResource.class, Map.of("engine", "true",
                "engine.rekognition.quota.calls-per-second", ENGINE_QUOTA,
                "engine.rekognition.quota.burst", "1",
                "engine.rekognition.quota.error", "both")));
    }
}
