package io.imagerec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/k8s renders with kustomize (the real tool), every object fits the Kubernetes API schema (fabric8's
 * model, unknown fields reported) or, for KEDA's kinds, the hand-kept field lists, and the containers
 * use the ports, health paths and environment variables their modules' application.properties define.
 */
class KubernetesManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/local", "deploy/k8s/overlays/aws"})
    void rendersAndFitsTheSchemas(String dir) throws Exception {
        List<Map<String, Object>> objects = Fixtures.rendered(dir);
        assertTrue(objects.size() > 10, dir + " renders only " + objects.size() + " objects");
        assertEquals(List.of(), KubernetesChecks.schemas(objects), dir);
    }

    /** The base alone lacks what only overlays give (the TriggerAuthentication): it is not applied by itself. */
    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/overlays/local", "deploy/k8s/overlays/aws"})
    void workloadsAreRunSafelyAndHangTogether(String dir) throws Exception {
        List<Map<String, Object>> objects = Fixtures.rendered(dir);
        List<String> problems = new ArrayList<>(KubernetesChecks.workloads(objects));
        problems.addAll(KubernetesChecks.scaling(objects));
        assertEquals(List.of(), problems, dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/k8s/overlays/local", "deploy/k8s/overlays/aws"})
    void containersMatchTheirServicesOwnSettings(String dir) throws Exception {
        assertEquals(List.of(), KubernetesChecks.againstServices(Fixtures.rendered(dir), Fixtures.settings()), dir);
    }

    @Test
    void theAwsOverlayUsesIrsaAndAwsOnly() throws Exception {
        List<Map<String, Object>> objects = Fixtures.rendered("deploy/k8s/overlays/aws");
        for (String service : List.of("ingest-service", "results-service", "recognition-worker")) {
            Object arn = Yamls.at(Fixtures.find(objects, "ServiceAccount", service), "metadata", "annotations", "eks.amazonaws.com/role-arn");
            assertTrue(String.valueOf(arn).matches("arn:aws:iam::\\d{12}:role/.+"), service + ": role-arn annotation " + arn);
        }
        for (Map<String, Object> o : objects) {
            String text = o.toString();
            assertTrue(!text.contains("local-cloud") && !text.contains("rekognition-local") && !text.contains("_ENDPOINT="),
                    KubernetesChecks.id(o) + " points at the offline stack");
        }
        Map<String, Object> auth = Fixtures.find(objects, "TriggerAuthentication", "recognition-worker-sqs");
        assertEquals("aws", Yamls.at(auth, "spec", "podIdentity", "provider"));
        assertEquals(List.of(), KubernetesChecks.byKind(objects, "PersistentVolumeClaim").keySet().stream().toList());
    }

    @Test
    void theLocalOverlayRunsTheOfflineStackOnVolumes() throws Exception {
        List<Map<String, Object>> objects = Fixtures.rendered("deploy/k8s/overlays/local");
        Map<String, Object> cloud = Fixtures.find(objects, "Deployment", "local-cloud");
        assertEquals("Recreate", Yamls.at(cloud, "spec", "strategy", "type"));
        List<Map<String, Object>> volumes = KubernetesChecks.listOf(Yamls.at(cloud, "spec", "template", "spec", "volumes"));
        assertTrue(volumes.stream().anyMatch(v -> v.get("persistentVolumeClaim") != null), "local-cloud keeps its data on a PVC");
        // The engine keeps its face collections in local-cloud's PostgreSQL: replicas share them, no volume of its own.
        Map<String, Object> engine = Fixtures.find(objects, "Deployment", "rekognition-local");
        Object containers = Yamls.at(engine, "spec", "template", "spec", "containers");
        String env = String.valueOf(containers);
        assertTrue(env.contains("name=REKOGNITION_COLLECTIONS_STORE, value=postgresql"), env);
        assertTrue(env.contains("name=DATABASE_URL"), env);
        for (String name : List.of("local-cloud", "rekognition-local")) {
            assertNotNull(Fixtures.find(objects, "Service", name));
        }
        Map<String, Object> auth = Fixtures.find(objects, "TriggerAuthentication", "recognition-worker-sqs");
        assertEquals(2, KubernetesChecks.listOf(Yamls.at(auth, "spec", "secretTargetRef")).size());
    }
}
