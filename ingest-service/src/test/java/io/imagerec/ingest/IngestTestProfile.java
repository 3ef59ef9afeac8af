package io.imagerec.ingest;

import java.util.List;
import java.util.Map;

import io.imagerec.testsupport.LocalCloudResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The real S3 and SQS through fault proxies, with short socket timeouts so a silent peer fails fast. */
public class IngestTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.sqs.async-client.read-timeout", "2S",
                "quarkus.s3.async-client.read-timeout", "2S",
                "ingest.idempotency.lease", "30S",
                "ingest.backfills.resume-every", "1S",
                "ingest.base-url", "http://localhost:18080",
                // No results-service here: the orphan sweeper can never learn a job's fate.
                "ingest.results-base-url", "http://127.0.0.1:1",
                "ingest.orphans.grace", "0S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalCloudResource.class));
    }
}
