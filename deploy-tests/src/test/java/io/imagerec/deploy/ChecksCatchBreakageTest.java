package io.imagerec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each check fails when it should: a copy of a real file, broken in one place, is reported with a
 * problem that names the break.
 */
class ChecksCatchBreakageTest {

    // ------------------------------------------------------------------ CloudFormation

    private static List<String> cfn(Consumer<Map<String, Object>> breakIt) {
        Map<String, Object> template = Fixtures.template();
        breakIt.accept(template);
        List<String> problems = new ArrayList<>();
        problems.addAll(CloudFormationChecks.specification(template, CloudFormationSpec.load()));
        problems.addAll(CloudFormationChecks.deadLetterQueues(template, CloudFormationTemplateTest.maxReceives()));
        problems.addAll(CloudFormationChecks.iam(template));
        problems.addAll(CloudFormationChecks.grantsMatchCalls(CloudFormationChecks.deployed(template)));
        problems.addAll(CloudFormationChecks.againstServices(template));
        problems.addAll(CloudFormationChecks.bucket(template, CloudFormationTemplateTest.expiringPrefixesChecked(),
                CloudFormationTemplateTest.directPrefix()));
        problems.addAll(CloudFormationChecks.workerScaling(template, "JobsQueue"));
        return problems;
    }

    private static void reported(List<String> problems, String... fragments) {
        assertTrue(problems.stream().anyMatch(p -> Stream.of(fragments).allMatch(p::contains)),
                "expected a problem containing " + List.of(fragments) + ", got " + problems);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> props(Map<String, Object> template, String resource) {
        return (Map<String, Object>) Yamls.at(template, "Resources", resource, "Properties");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Map<String, Object> template, String policy, int index) {
        return (Map<String, Object>) Yamls.at(template, "Resources", policy, "Properties", "PolicyDocument", "Statement", index);
    }

    @Test
    void theUntouchedTemplateHasNoProblems() {
        assertEquals(List.of(), cfn(t -> { }));
    }

    @Test
    void aQueueWithoutADeadLetterQueue() {
        reported(cfn(t -> props(t, "JobsQueue").remove("RedrivePolicy")), "JobsQueue", "without a dead-letter queue");
    }

    @Test
    void aReceiveCountOtherThanTheWorkers() {
        reported(cfn(t -> ((Map<String, Object>) props(t, "ResultsQueue").get("RedrivePolicy")).put("maxReceiveCount", 3)),
                "ResultsQueue", "maxReceiveCount 3");
    }

    @Test
    void aWildcardAction() {
        reported(cfn(t -> statement(t, "IngestPolicy", 0).put("Action", List.of("s3:*"))), "wildcard action s3:*");
    }

    @Test
    void aStarResourceForAnActionThatTakesArns() {
        reported(cfn(t -> statement(t, "WorkerPolicy", 1).put("Resource", "*")), "s3:GetObject on resource *");
    }

    @Test
    void aStarResourceForRekognitionIsAllowed() {
        List<String> problems = CloudFormationChecks.iam(Fixtures.template());
        assertEquals(List.of(), problems);
        assertEquals("*", statement(Fixtures.template(), "WorkerPolicy", 0).get("Resource"));
    }

    @Test
    void anUnknownProperty() {
        reported(cfn(t -> props(t, "JobsQueue").put("VisibilityTimeoutSeconds", 60)), "JobsQueue", "VisibilityTimeoutSeconds", "no such property");
    }

    @Test
    void anUnknownNestedProperty() {
        reported(cfn(t -> ((Map<String, Object>) Yamls.at(props(t, "IngestTargetGroup"), "TargetGroupAttributes", 0)).put("Name", "x")),
                "TargetGroupAttributes[0].Name", "no such property");
    }

    @Test
    void aMissingRequiredProperty() {
        reported(cfn(t -> props(t, "UploadEventsQueuePolicy").remove("Queues")), "Queues", "required property missing");
    }

    @Test
    void aValueOutsideTheAllowedOnes() {
        reported(cfn(t -> props(t, "LogGroup").put("RetentionInDays", 31)), "RetentionInDays", "31 is not one of");
    }

    @Test
    void anUnknownResourceType() {
        reported(cfn(t -> ((Map<String, Object>) Yamls.at(t, "Resources", "LogGroup")).put("Type", "AWS::Logs::LogGroupp")),
                "AWS::Logs::LogGroupp", "not in the CloudFormation specification");
    }

    @Test
    void aGetAttOfAnAttributeTheTypeLacks() {
        reported(cfn(t -> props(t, "IngestPolicy").put("Description", Map.of("Fn::GetAtt", List.of("JobsQueue", "Url")))),
                "AWS::SQS::Queue has no attribute Url");
    }

    @Test
    void aRefToNothing() {
        reported(cfn(t -> props(t, "Database").put("DBInstanceClass", Map.of("Ref", "DbClass"))), "Ref DbClass names no");
    }

    @Test
    void aSubVariableThatNamesNothing() {
        reported(cfn(t -> props(t, "LogGroup").put("LogGroupName", Map.of("Fn::Sub", "/imagerec/${StackName}"))),
                "${StackName} names nothing");
    }

    @Test
    void aCallTheRoleDoesNotGrant() {
        reported(cfn(t -> statement(t, "WorkerPolicy", 0).put("Action", List.of("rekognition:DetectLabels", "rekognition:DetectFaces"))),
                "lacks rekognition:DetectText");
    }

    @Test
    void aGrantNoCodeNeeds() {
        reported(cfn(t -> ((List<Object>) statement(t, "IngestPolicy", 2).get("Action")).add("sqs:PurgeQueue")),
                "grants sqs:PurgeQueue");
    }

    @Test
    void aHealthCheckOnTheWrongPort() {
        reported(cfn(t -> props(t, "ResultsTargetGroup").put("HealthCheckPort", "8081")), "ResultsTargetGroup", "serves health on 8083");
    }

    @Test
    void anEnvironmentVariableNoServiceReads() {
        reported(cfn(t -> {
            Map<String, Object> base64 = (Map<String, Object>) Yamls.at(props(t, "WorkerLaunchTemplate"), "LaunchTemplateData", "UserData");
            String script = (String) Yamls.at(base64, "Fn::Base64", "Fn::Sub");
            base64.put("Fn::Base64", Map.of("Fn::Sub", script.replace("IMAGES_BUCKET=", "IMAGE_BUCKET=")));
        }), "IMAGE_BUCKET is read by nothing");
    }

    @Test
    void aStopTimeoutShorterThanTheDrain() {
        reported(cfn(t -> {
            Map<String, Object> base64 = (Map<String, Object>) Yamls.at(props(t, "WorkerLaunchTemplate"), "LaunchTemplateData", "UserData");
            String script = (String) Yamls.at(base64, "Fn::Base64", "Fn::Sub");
            base64.put("Fn::Base64", Map.of("Fn::Sub", script.replace("docker stop -t 60", "docker stop -t 10")));
        }), "docker stop waits 10 s");
    }

    @Test
    void aPublicOrUnencryptedBucketOrAMissingLifecycleRule() {
        reported(cfn(t -> ((Map<String, Object>) props(t, "ImagesBucket").get("PublicAccessBlockConfiguration")).put("BlockPublicPolicy", false)),
                "BlockPublicPolicy is not true");
        reported(cfn(t -> props(t, "ImagesBucket").remove("BucketEncryption")), "no default encryption");
        reported(cfn(t -> ((List<Object>) Yamls.at(props(t, "ImagesBucket"), "LifecycleConfiguration", "Rules")).remove(0)),
                "no enabled lifecycle rule expiring idempotency/");
        reported(cfn(t -> statement(t, "ImagesBucketPolicy", 0).put("Effect", "Allow")), "no bucket policy denying aws:SecureTransport");
    }

    @Test
    void notificationsWithoutTheQueuePolicy() {
        reported(cfn(t -> ((Map<String, Object>) statement(t, "UploadEventsQueuePolicy", 0).get("Condition")).remove("ArnEquals")),
                "UploadEventsQueue", "aws:SourceArn");
    }

    @Test
    void workersScaledOnSomethingElse() {
        reported(cfn(t -> ((Map<String, Object>) Yamls.at(props(t, "WorkerBacklogScaling"), "TargetTrackingConfiguration",
                "CustomizedMetricSpecification", "Metrics", 2)).put("Expression", "visible")), "GroupInServiceInstances");
    }

    // ------------------------------------------------------------------ Kubernetes

    private static List<String> k8s(String dir, Consumer<List<Map<String, Object>>> breakIt) throws Exception {
        List<Map<String, Object>> objects = Fixtures.rendered(dir);
        breakIt.accept(objects);
        List<String> problems = new ArrayList<>(KubernetesChecks.schemas(objects));
        problems.addAll(KubernetesChecks.workloads(objects));
        problems.addAll(KubernetesChecks.scaling(objects));
        problems.addAll(KubernetesChecks.againstServices(objects, Fixtures.settings()));
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(List<Map<String, Object>> objects, String deployment) {
        return (Map<String, Object>) Yamls.at(Fixtures.find(objects, "Deployment", deployment), "spec", "template", "spec", "containers", 0);
    }

    @Test
    void theUntouchedOverlaysHaveNoProblems() throws Exception {
        assertEquals(List.of(), k8s("deploy/k8s/overlays/local", o -> { }));
        assertEquals(List.of(), k8s("deploy/k8s/overlays/aws", o -> { }));
    }

    @Test
    void aMisspelledField() throws Exception {
        reported(k8s("deploy/k8s/overlays/aws", o -> {
            Map<String, Object> c = container(o, "ingest-service");
            c.put("livenesProbe", c.remove("livenessProbe"));
        }), "unknown field(s) [livenesProbe]");
    }

    @Test
    void aFieldOfTheWrongType() throws Exception {
        reported(k8s("deploy/k8s/overlays/aws", o -> ((Map<String, Object>) Yamls.at(Fixtures.find(o, "Deployment", "results-service"), "spec"))
                .put("replicas", "two")), "Deployment/results-service", "does not fit");
    }

    @Test
    void aProbeOnThePortWithoutHealth() throws Exception {
        reported(k8s("deploy/k8s/overlays/aws", o -> ((Map<String, Object>) Yamls.at(container(o, "results-service"), "readinessProbe", "httpGet"))
                .put("port", 8081)), "readinessProbe on port 8081", "serves health on 8083");
    }

    @Test
    void aContainerPortTheServiceDoesNotListenOn() throws Exception {
        reported(k8s("deploy/k8s/overlays/local", o -> ((Map<String, Object>) Yamls.at(container(o, "recognition-worker"), "ports", 0))
                .put("containerPort", 8080)), "recognition-worker listens on [8082]");
    }

    @Test
    void aMisspelledEnvironmentVariable() throws Exception {
        reported(k8s("deploy/k8s/overlays/local", o -> ((Map<String, Object>) Fixtures.find(o, "ConfigMap", "recognition-worker").get("data"))
                .put("REKOGNITION_ENDPOINT_URL", "http://rekognition-local:8085")), "REKOGNITION_ENDPOINT_URL is read by nothing");
    }

    @Test
    void aUrlWithAPortTheServiceLacks() throws Exception {
        reported(k8s("deploy/k8s/overlays/local", o -> ((Map<String, Object>) Fixtures.find(o, "ConfigMap", "results-service").get("data"))
                .put("DATABASE_URL", "jdbc:postgresql://local-cloud:5432/recognition")), "uses port 5432");
    }

    @Test
    void aProbeOfLocalCloudsReadyFileInAnotherDirectory() throws Exception {
        reported(k8s("deploy/k8s/overlays/local", o -> ((Map<String, Object>) Yamls.at(container(o, "local-cloud"), "readinessProbe", "exec"))
                .put("command", List.of("test", "-f", "/data/local-cloud.ready"))), "nor a test of /data/cloud/local-cloud.ready");
    }

    @Test
    void aGracePeriodShorterThanTheWorkersDrain() throws Exception {
        reported(k8s("deploy/k8s/overlays/aws", o -> ((Map<String, Object>) Yamls.at(Fixtures.find(o, "Deployment", "recognition-worker"), "spec", "template", "spec"))
                .put("terminationGracePeriodSeconds", 20)), "terminationGracePeriodSeconds 20 is not longer than recognition-worker's drain of 20 s");
    }

    @Test
    void aRootContainerOrOneWithoutLimits() throws Exception {
        reported(k8s("deploy/k8s/overlays/aws", o -> ((Map<String, Object>) Yamls.at(Fixtures.find(o, "Deployment", "ingest-service"), "spec", "template", "spec", "securityContext"))
                .remove("runAsNonRoot")), "runAsNonRoot");
        reported(k8s("deploy/k8s/overlays/aws", o -> ((Map<String, Object>) container(o, "ingest-service").get("resources")).remove("limits")),
                "no resources.limits.cpu");
    }

    @Test
    void aCommittedSecret() throws Exception {
        reported(k8s("deploy/k8s/overlays/aws", o -> o.add(new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "Secret",
                "metadata", Map.of("name", "imagerec-secrets"), "stringData", Map.of("BOOTSTRAP_API_KEY", "x"))))), "Secrets are created by the operator");
    }

    @Test
    void kedaFieldsTheScalerDoesNotKnow() throws Exception {
        reported(k8s("deploy/k8s/overlays/aws", o -> {
            Map<String, Object> metadata = (Map<String, Object>) Yamls.at(Fixtures.find(o, "ScaledObject", "recognition-worker"), "spec", "triggers", 0, "metadata");
            metadata.put("queueUrl", metadata.remove("queueURL"));
            metadata.remove("awsRegion");
        }), "unknown field queueUrl");
        reported(k8s("deploy/k8s/overlays/aws", o -> ((Map<String, Object>) Yamls.at(Fixtures.find(o, "ScaledObject", "recognition-worker"), "spec"))
                .put("minReplicaCount", 1)), "minReplicaCount is not 0");
        reported(k8s("deploy/k8s/overlays/aws", o -> ((Map<String, Object>) Yamls.at(Fixtures.find(o, "TriggerAuthentication", "recognition-worker-sqs"), "spec", "podIdentity"))
                .put("provider", "aws-iam")), "provider: aws-iam");
        reported(k8s("deploy/k8s/overlays/aws", o -> ((Map<String, Object>) Yamls.at(Fixtures.find(o, "ScaledObject", "recognition-worker"), "spec", "advanced",
                "horizontalPodAutoscalerConfig", "behavior", "scaleDown")).put("stabilisationWindowSeconds", 60)), "stabilisationWindowSeconds");
    }

    @Test
    void aServiceThatSelectsNoPods() throws Exception {
        reported(k8s("deploy/k8s/overlays/local", o -> ((Map<String, Object>) Yamls.at(Fixtures.find(o, "Service", "local-cloud"), "spec", "selector"))
                .put("app.kubernetes.io/name", "localcloud")), "Service/local-cloud: selects no Deployment");
    }

    @Test
    void aKustomizationThatDoesNotRender(@TempDir Path dir) throws Exception {
        copy(Repo.path("deploy/k8s"), dir.resolve("k8s"));
        Path kustomization = dir.resolve("k8s/overlays/aws/kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization).replace("  - config.yaml\n", "  - configs.yaml\n"));
        Exception e = assertThrows(Exception.class, () -> Kustomize.render(dir.resolve("k8s/overlays/aws")));
        assertTrue(e.getMessage().contains("configs.yaml"), e.getMessage());
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    // ------------------------------------------------------------------ compose

    private static final String COMPOSE = """
            services:
              local-cloud:
                image: imagerec/local-cloud:0.1.0-SNAPSHOT
                environment:
                  LOCAL_CLOUD_BIND_ADDRESS: 0.0.0.0
                healthcheck:
                  test: ["CMD-SHELL", "bash -c '</dev/tcp/127.0.0.1/9324' || exit 1"]
              results-service:
                image: imagerec/results-service:0.1.0-SNAPSHOT
                ports: ["8081:8081", "127.0.0.1:8083:8083"]
                stop_grace_period: 45s
                environment:
                  - SQS_ENDPOINT=http://local-cloud:9324
                  - DATABASE_URL=jdbc:postgresql://local-cloud:15432/recognition
                healthcheck:
                  test: ["CMD", "curl", "-f", "http://localhost:8083/q/health/ready"]
            """;

    @Test
    void aComposeFileThatFitsHasNoProblems() {
        assertEquals(List.of(), ComposeChecks.check(Yamls.loadOne(COMPOSE), Fixtures.settings()));
    }

    @Test
    void aComposeFileWithWrongPortsNamesOrHealth() {
        Map<String, ServiceSettings> s = Fixtures.settings();
        reported(ComposeChecks.check(Yamls.loadOne(COMPOSE.replace("localhost:8083/q/health/ready", "localhost:8081/q/health/ready")), s),
                "health check on port 8081");
        reported(ComposeChecks.check(Yamls.loadOne(COMPOSE.replace("\"8081:8081\"", "\"8081:8080\"")), s), "publishes container port 8080");
        reported(ComposeChecks.check(Yamls.loadOne(COMPOSE.replace("- SQS_ENDPOINT=", "- SQS_URL=")), s), "SQS_URL is read by nothing");
        reported(ComposeChecks.check(Yamls.loadOne(COMPOSE.replace("local-cloud:15432", "local-cloud:5432")), s), "port 5432 of local-cloud");
        reported(ComposeChecks.check(Yamls.loadOne(COMPOSE.replace("45s", "10s")), s), "stop_grace_period 10s");
    }
}
