package io.imagerec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** deploy/aws/imagerec.yaml against the CloudFormation specification and the services' own code and settings. */
class CloudFormationTemplateTest {

    static int maxReceives() {
        return Integer.parseInt(Fixtures.settings().get("recognition-worker").properties().get("worker.max-receives"));
    }

    /** Idempotency records are keyed "idempotency/" + tenant + "/" + hash in IngestService. */
    static String idempotencyPrefix() {
        String source = Repo.read(Repo.path("ingest-service/src/main/java/io/imagerec/ingest/service/IngestService.java"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(idempotency/)\"\\s*\\+").matcher(source);
        assertTrue(m.find(), "IngestService no longer keys idempotency records under idempotency/");
        return m.group(1);
    }

    static String directPrefix() {
        return CloudFormationChecks.prefixIn("ingest-service/src/main/java/io/imagerec/ingest/direct/DirectUploads.java", "PREFIX");
    }

    @Test
    void fitsTheCloudFormationSpecification() {
        assertEquals(List.of(), CloudFormationChecks.specification(Fixtures.template(), CloudFormationSpec.load()));
    }

    @Test
    void everyQueueHasADeadLetterQueueWithTheWorkersReceiveCount() {
        assertEquals(List.of(), CloudFormationChecks.deadLetterQueues(Fixtures.template(), maxReceives()));
    }

    @Test
    void noStatementGrantsWildcards() {
        assertEquals(List.of(), CloudFormationChecks.iam(Fixtures.template()));
    }

    @Test
    void eachServiceIsGrantedExactlyTheCallsItsCodeMakes() {
        List<CloudFormationChecks.Deployed> deployed = CloudFormationChecks.deployed(Fixtures.template());
        assertEquals(List.of("ingest-service", "recognition-worker", "results-service"),
                deployed.stream().map(CloudFormationChecks.Deployed::module).sorted().toList());
        assertEquals(3, deployed.stream().map(CloudFormationChecks.Deployed::role).distinct().count(), "one role per service");
        assertEquals(List.of(), CloudFormationChecks.grantsMatchCalls(deployed));
    }

    @Test
    void loadBalancerAndInstancesMatchTheServicesSettings() {
        assertEquals(List.of(), CloudFormationChecks.againstServices(Fixtures.template()));
    }

    @Test
    void theBucketIsPrivateEncryptedTlsOnlyAndNotifiesDirectUploads() {
        assertEquals(List.of(), CloudFormationChecks.bucket(Fixtures.template(), expiringPrefixesChecked(), directPrefix()));
    }

    static List<String> expiringPrefixesChecked() {
        return List.of(idempotencyPrefix(),
                CloudFormationChecks.prefixIn("recognition-worker/src/main/java/io/imagerec/worker/client/ResultPublisher.java", "PAYLOAD_PREFIX"),
                CloudFormationChecks.prefixIn("ingest-service/src/main/java/io/imagerec/ingest/direct/DirectUploads.java", "RECORDS"));
    }

    @Test
    void workersTrackTheBacklogPerInstance() {
        assertEquals(List.of(), CloudFormationChecks.workerScaling(Fixtures.template(), "JobsQueue"));
    }
}
