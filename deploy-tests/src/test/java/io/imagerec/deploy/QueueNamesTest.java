package io.imagerec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The queues are the ones the services look for: the template's queue names, the queue URLs in the
 * Kubernetes overlays and the instances' environment, and KEDA's queue all end in the default names of
 * the services' {@code *_QUEUE_NAME} variables.
 */
class QueueNamesTest {

    private static final Pattern DEFAULT = Pattern.compile("\\$\\{([A-Z_]+_QUEUE_NAME):([a-z0-9-]+)}");

    /** JOBS_QUEUE_NAME -> recognition-jobs, and so on, from every service's application.properties. */
    static Map<String, String> defaultNames() {
        Map<String, String> names = new TreeMap<>();
        for (String module : List.of("ingest-service", "recognition-worker", "results-service")) {
            Matcher m = DEFAULT.matcher(Repo.read(Repo.path(module + "/src/main/resources/application.properties")));
            while (m.find()) {
                String previous = names.put(m.group(1), m.group(2));
                assertTrue(previous == null || previous.equals(m.group(2)), m.group(1) + " has two defaults");
            }
        }
        assertFalse(names.isEmpty(), "no ${*_QUEUE_NAME:default} in the services' settings");
        return names;
    }

    static List<String> kubernetes(List<Map<String, Object>> objects, Map<String, String> names) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> cm : KubernetesChecks.byKind(objects, "ConfigMap").values()) {
            Map<String, Object> data = CloudFormationChecks.map(cm.get("data"));
            data.forEach((key, value) -> {
                if (key.endsWith("_QUEUE_URL")) {
                    String name = names.get(key.replace("_URL", "_NAME"));
                    if (name == null || !String.valueOf(value).endsWith("/" + name)) {
                        problems.add(KubernetesChecks.id(cm) + " " + key + ": " + value + " is not the queue " + name);
                    }
                }
            });
        }
        for (Map<String, Object> so : KubernetesChecks.byKind(objects, "ScaledObject").values()) {
            for (Map<String, Object> t : KubernetesChecks.listOf(Yamls.at(so, "spec", "triggers"))) {
                Object url = Yamls.at(t, "metadata", "queueURL");
                if (!String.valueOf(url).endsWith("/" + names.get("JOBS_QUEUE_NAME"))) {
                    problems.add(KubernetesChecks.id(so) + ": queueURL " + url + " is not the jobs queue " + names.get("JOBS_QUEUE_NAME"));
                }
            }
        }
        return problems;
    }

    static List<String> cloudFormation(Map<String, Object> template, Map<String, String> names) {
        List<String> problems = new ArrayList<>();
        Map<String, String> queueNames = new TreeMap<>();
        CloudFormationChecks.ofType(template, "AWS::SQS::Queue").forEach((id, q) ->
                queueNames.put(id, String.valueOf((Object) Yamls.at(q, "Properties", "QueueName"))));
        for (String name : names.values()) {
            if (!queueNames.containsValue(name)) {
                problems.add("template: no queue named " + name);
            }
        }
        Pattern line = Pattern.compile("(?m)^([A-Z_]+_QUEUE_URL)=\\$\\{([A-Za-z0-9]+)\\.QueueUrl}$");
        for (Map.Entry<String, Object> lt : CloudFormationChecks.ofType(template, "AWS::EC2::LaunchTemplate").entrySet()) {
            Matcher m = line.matcher(CloudFormationChecks.userData(Yamls.at(lt.getValue(), "Properties", "LaunchTemplateData")));
            while (m.find()) {
                String expected = names.get(m.group(1).replace("_URL", "_NAME"));
                if (!String.valueOf(queueNames.get(m.group(2))).equals(expected)) {
                    problems.add("Resources." + lt.getKey() + " " + m.group(1) + ": ${" + m.group(2) + ".QueueUrl} is "
                            + queueNames.get(m.group(2)) + ", not " + expected);
                }
            }
        }
        return problems;
    }

    @Test
    void kubernetesOverlaysNameTheServicesQueues() throws Exception {
        for (String dir : List.of("deploy/k8s/overlays/local", "deploy/k8s/overlays/aws")) {
            assertEquals(List.of(), kubernetes(Fixtures.rendered(dir), defaultNames()), dir);
        }
    }

    @Test
    void theTemplateCreatesAndPassesTheServicesQueues() {
        assertEquals(List.of(), cloudFormation(Fixtures.template(), defaultNames()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSwappedOrRenamedQueueIsReported() throws Exception {
        List<Map<String, Object>> objects = Fixtures.rendered("deploy/k8s/overlays/aws");
        ((Map<String, Object>) Fixtures.find(objects, "ConfigMap", "recognition-worker").get("data"))
                .put("JOBS_QUEUE_URL", "https://sqs.eu-west-1.amazonaws.com/123456789012/recognition-results");
        assertTrue(kubernetes(objects, defaultNames()).stream().anyMatch(p -> p.contains("is not the queue recognition-jobs")));

        Map<String, Object> template = Fixtures.template();
        ((Map<String, Object>) Yamls.at(template, "Resources", "JobsQueue", "Properties")).put("QueueName", "jobs");
        List<String> problems = cloudFormation(template, defaultNames());
        assertTrue(problems.contains("template: no queue named recognition-jobs"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("JOBS_QUEUE_URL: ${JobsQueue.QueueUrl} is jobs")), problems.toString());
    }
}
