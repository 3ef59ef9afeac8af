package io.imagerec.worker;

import java.util.List;
import java.util.Map;

import io.imagerec.testsupport.LocalCloudResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The real neighbours (local cloud and the packaged engine, through fault proxies) and short timings,
 * so that five attempts of a job fit in a test; results above 1 KB travel as claim checks.
 */
public class WorkerTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "worker.jobs.visibility", "6S",
                "mp.messaging.incoming.recognition-jobs.visibility-timeout", "6",
                "mp.messaging.incoming.recognition-jobs.wait-time-seconds", "1",
                "worker.jobs.retry-initial-delay", "1S",
                "worker.jobs.retry-max-delay", "2S",
                "worker.sqs.call-timeout", "5S",
                "worker.rekognition.call-timeout", "8S",
                "worker.results.max-message-bytes", "1024");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalCloudResource.class, Map.of("engine", "true")));
    }
}
