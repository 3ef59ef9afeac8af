package io.imagerec.results;

import java.util.List;
import java.util.Map;

import io.imagerec.testsupport.LocalCloudResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The real neighbours (local cloud through fault proxies) and short timings, so that outages longer
 * than five visibility timeouts fit in a test.
 */
public class ResultsTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "results.queue.visibility", "4S",
                "mp.messaging.incoming.recognition-results.visibility-timeout", "4",
                "mp.messaging.incoming.recognition-results.wait-time-seconds", "1",
                "results.queue.retry-initial-delay", "200MS",
                "results.queue.retry-max-delay", "2S",
                "results.sqs.call-timeout", "5S",
                "quarkus.datasource.jdbc.acquisition-timeout", "2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalCloudResource.class));
    }
}
