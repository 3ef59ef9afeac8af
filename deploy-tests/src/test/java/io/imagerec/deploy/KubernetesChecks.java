package io.imagerec.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Checks of rendered Kubernetes objects. Each method returns the problems it found, one line each, so
 * that a test can show all of them at once and a unit test can show that a broken copy is caught.
 */
final class KubernetesChecks {

    /** The core kinds used, read with the fabric8 model generated from Kubernetes' OpenAPI schema. */
    static final Map<String, Class<?>> CORE_KINDS = Map.of(
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private KubernetesChecks() {
    }

    static String id(Map<String, Object> object) {
        return Yamls.at(object, "kind") + "/" + Yamls.at(object, "metadata", "name");
    }

    // ------------------------------------------------------------------ schemas

    /** Every object is of a known kind and has no field its kind's schema lacks. */
    static List<String> schemas(List<Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            String apiVersion = Yamls.at(object, "apiVersion");
            String kind = Yamls.at(object, "kind");
            String id = id(object);
            if ("Secret".equals(kind)) {
                problems.add(id + ": Secrets are created by the operator, never committed");
                continue;
            }
            if ("keda.sh/v1alpha1".equals(apiVersion)) {
                problems.addAll(Keda.check(object));
                continue;
            }
            Class<?> type = CORE_KINDS.get(apiVersion + "/" + kind);
            if (type == null) {
                problems.add(id + ": apiVersion " + apiVersion + " kind " + kind + " is not one these checks know");
                continue;
            }
            problems.addAll(strict(object, type, id));
        }
        return problems;
    }

    /** Reads {@code value} as {@code type} and reports every field that landed in an additionalProperties map. */
    static List<String> strict(Object value, Class<?> type, String id) {
        List<String> problems = new ArrayList<>();
        Object model;
        try {
            model = MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            problems.add(id + ": does not fit " + type.getSimpleName() + ": " + e.getMessage().lines().findFirst().orElse(""));
            return problems;
        }
        unknownFields(model, id, problems);
        return problems;
    }

    private static void unknownFields(Object model, String path, List<String> problems) {
        if (model == null || model instanceof String || model instanceof Number || model instanceof Boolean
                || model instanceof Enum<?>) {
            return;
        }
        if (model instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (model instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (!model.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method method : model.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                    || !method.getDeclaringClass().getName().startsWith("io.fabric8.")) {
                continue;
            }
            String name = method.getName();
            if (!(name.startsWith("get") && name.length() > 3) || name.equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = method.invoke(model);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + new TreeSet<>(extra.keySet().stream().map(String::valueOf).toList()));
                }
                continue;
            }
            String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
            unknownFields(child, path + "." + field, problems);
        }
    }

    // ------------------------------------------------------------------ how the workloads are run

    /** Probes, resources, non-root, grace periods, and that selectors, targets and references meet. */
    static List<String> workloads(List<Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> deployments = byKind(objects, "Deployment");
        Map<String, Map<String, Object>> services = byKind(objects, "Service");
        Map<String, Map<String, Object>> hpas = byKind(objects, "HorizontalPodAutoscaler");
        Map<String, Map<String, Object>> scaledObjects = byKind(objects, "ScaledObject");
        Map<String, Map<String, Object>> triggerAuths = byKind(objects, "TriggerAuthentication");
        Map<String, Map<String, Object>> configMaps = byKind(objects, "ConfigMap");
        Map<String, Map<String, Object>> pvcs = byKind(objects, "PersistentVolumeClaim");
        Map<String, Map<String, Object>> accounts = byKind(objects, "ServiceAccount");

        for (Map<String, Object> d : deployments.values()) {
            String id = id(d);
            Map<String, Object> selector = Yamls.at(d, "spec", "selector", "matchLabels");
            Map<String, Object> labels = Yamls.at(d, "spec", "template", "metadata", "labels");
            if (selector == null || labels == null || !labels.entrySet().containsAll(selector.entrySet())) {
                problems.add(id + ": selector does not match the pod template's labels");
            }
            Map<String, Object> pod = Yamls.at(d, "spec", "template", "spec");
            if (!Boolean.TRUE.equals(Yamls.at(pod, "securityContext", "runAsNonRoot"))) {
                problems.add(id + ": pod securityContext.runAsNonRoot is not true");
            }
            String account = Yamls.at(pod, "serviceAccountName");
            if (account != null && !accounts.containsKey(account)) {
                problems.add(id + ": service account " + account + " is not defined");
            }
            List<Map<String, Object>> volumes = listOf(Yamls.at(pod, "volumes"));
            for (Map<String, Object> volume : volumes) {
                String claim = Yamls.at(volume, "persistentVolumeClaim", "claimName");
                if (claim != null && !pvcs.containsKey(claim)) {
                    problems.add(id + ": volume claims " + claim + ", which is not defined");
                }
            }
            List<Map<String, Object>> all = new ArrayList<>(listOf(Yamls.at(pod, "containers")));
            all.addAll(listOf(Yamls.at(pod, "initContainers")));
            for (Map<String, Object> c : all) {
                String cid = id + " container " + c.get("name");
                for (String r : List.of("requests", "limits")) {
                    for (String res : List.of("cpu", "memory")) {
                        if (Yamls.at(c, "resources", r, res) == null) {
                            problems.add(cid + ": no resources." + r + "." + res);
                        }
                    }
                }
                if (!Boolean.FALSE.equals(Yamls.at(c, "securityContext", "allowPrivilegeEscalation"))) {
                    problems.add(cid + ": securityContext.allowPrivilegeEscalation is not false");
                }
                List<Object> drop = Yamls.at(c, "securityContext", "capabilities", "drop");
                if (drop == null || !drop.contains("ALL")) {
                    problems.add(cid + ": securityContext.capabilities.drop lacks ALL");
                }
                if (!(Yamls.at(c, "securityContext", "readOnlyRootFilesystem") instanceof Boolean)) {
                    problems.add(cid + ": securityContext.readOnlyRootFilesystem is not set either way");
                }
                for (Map<String, Object> from : listOf(c.get("envFrom"))) {
                    String name = Yamls.at(from, "configMapRef", "name");
                    if (name != null && !configMaps.containsKey(name)) {
                        problems.add(cid + ": envFrom ConfigMap " + name + " is not defined");
                    }
                }
            }
            for (Map<String, Object> c : listOf(Yamls.at(pod, "containers"))) {
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    if (c.get(probe) == null) {
                        problems.add(id + " container " + c.get("name") + ": no " + probe);
                    }
                }
            }
        }

        for (Map<String, Object> s : services.values()) {
            Map<String, Object> selector = Yamls.at(s, "spec", "selector");
            Map<String, Object> target = selected(deployments.values(), selector);
            if (target == null) {
                problems.add(id(s) + ": selects no Deployment's pods");
                continue;
            }
            Set<Object> containerPorts = containerPorts(target);
            for (Map<String, Object> port : listOf(Yamls.at(s, "spec", "ports"))) {
                Object targetPort = port.getOrDefault("targetPort", port.get("port"));
                if (!containerPorts.contains(targetPort)) {
                    problems.add(id(s) + ": targetPort " + targetPort + " is no container port of " + id(target));
                }
            }
        }
        for (Map<String, Object> pdb : byKind(objects, "PodDisruptionBudget").values()) {
            if (selected(deployments.values(), Yamls.at(pdb, "spec", "selector", "matchLabels")) == null) {
                problems.add(id(pdb) + ": selects no Deployment's pods");
            }
        }
        for (Map<String, Object> hpa : hpas.values()) {
            String target = Yamls.at(hpa, "spec", "scaleTargetRef", "name");
            if (!deployments.containsKey(target)) {
                problems.add(id(hpa) + ": scales " + target + ", which is no Deployment");
            }
        }
        for (Map<String, Object> so : scaledObjects.values()) {
            String target = Yamls.at(so, "spec", "scaleTargetRef", "name");
            if (!deployments.containsKey(target)) {
                problems.add(id(so) + ": scales " + target + ", which is no Deployment");
            }
            if (hpas.values().stream().anyMatch(h -> Objects.equals(target, Yamls.at(h, "spec", "scaleTargetRef", "name")))) {
                problems.add(id(so) + ": " + target + " also has a HorizontalPodAutoscaler; KEDA makes its own");
            }
            for (Map<String, Object> trigger : listOf(Yamls.at(so, "spec", "triggers"))) {
                String auth = Yamls.at(trigger, "authenticationRef", "name");
                if (auth != null && !triggerAuths.containsKey(auth)) {
                    problems.add(id(so) + ": TriggerAuthentication " + auth + " is not defined");
                }
            }
        }
        return problems;
    }

    /** What issue 13 asks of these deployments: HPAs for ingest and results, KEDA from zero for the worker. */
    static List<String> scaling(List<Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> hpas = byKind(objects, "HorizontalPodAutoscaler");
        for (String service : List.of("ingest-service", "results-service")) {
            if (hpas.values().stream().noneMatch(h -> service.equals(Yamls.at(h, "spec", "scaleTargetRef", "name")))) {
                problems.add(service + ": no HorizontalPodAutoscaler");
            }
        }
        Map<String, Object> worker = byKind(objects, "ScaledObject").values().stream()
                .filter(s -> "recognition-worker".equals(Yamls.at(s, "spec", "scaleTargetRef", "name")))
                .findFirst().orElse(null);
        if (worker == null) {
            problems.add("recognition-worker: no KEDA ScaledObject");
        } else {
            if (!Integer.valueOf(0).equals(Yamls.at(worker, "spec", "minReplicaCount"))) {
                problems.add("recognition-worker: ScaledObject minReplicaCount is not 0");
            }
            if (listOf(Yamls.at(worker, "spec", "triggers")).stream().noneMatch(t -> "aws-sqs-queue".equals(t.get("type")))) {
                problems.add("recognition-worker: ScaledObject has no aws-sqs-queue trigger");
            }
        }
        for (Map<String, Object> pdbTarget : byKind(objects, "Deployment").values()) {
            Map<String, Object> labels = Yamls.at(pdbTarget, "spec", "template", "metadata", "labels");
            boolean covered = byKind(objects, "PodDisruptionBudget").values().stream()
                    .anyMatch(p -> matches(labels, Yamls.at(p, "spec", "selector", "matchLabels")));
            if (!covered) {
                problems.add(id(pdbTarget) + ": no PodDisruptionBudget");
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------ against the services' own settings

    private static final Pattern URL_HOST_PORT = Pattern.compile("://([a-z0-9-]+)(?:\\.[a-z0-9.-]+)?:(\\d+)");

    /**
     * Ports, probes, environment variable names and grace periods of each container against the
     * application.properties of the module its image is built from; URLs naming a Service use its ports.
     */
    static List<String> againstServices(List<Map<String, Object>> objects, Map<String, ServiceSettings> settings) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> configMaps = byKind(objects, "ConfigMap");
        Map<String, Map<String, Object>> services = byKind(objects, "Service");
        for (Map<String, Object> d : byKind(objects, "Deployment").values()) {
            Map<String, Object> pod = Yamls.at(d, "spec", "template", "spec");
            List<Map<String, Object>> containers = listOf(Yamls.at(pod, "containers"));
            List<Map<String, Object>> all = new ArrayList<>(containers);
            all.addAll(listOf(Yamls.at(pod, "initContainers")));
            for (Map<String, Object> c : all) {
                boolean isInit = !containers.contains(c);
                String cid = id(d) + " container " + c.get("name");
                String module = ServiceSettings.moduleOfImage((String) c.get("image"));
                if (module == null) {
                    problems.add(cid + ": image " + c.get("image") + " is not imagerec/<module>");
                    continue;
                }
                ServiceSettings s = settings.get(module);
                Map<String, String> env = new LinkedHashMap<>();
                for (Map<String, Object> e : listOf(c.get("env"))) {
                    env.put((String) e.get("name"), e.get("value") == null ? null : String.valueOf(e.get("value")));
                }
                for (Map<String, Object> from : listOf(c.get("envFrom"))) {
                    Map<String, Object> data = Yamls.at(configMaps.get(Yamls.at(from, "configMapRef", "name")), "data");
                    if (data != null) {
                        data.forEach((k, v) -> env.put(k, String.valueOf(v)));
                    }
                }
                for (Map.Entry<String, String> e : env.entrySet()) {
                    // An init container's variables feed its own command, not the module.
                    if (!isInit && !s.environment().contains(e.getKey())) {
                        problems.add(cid + ": environment variable " + e.getKey() + " is read by nothing in " + module);
                    }
                    if (e.getValue() != null) {
                        problems.addAll(urlPorts(cid + " " + e.getKey(), e.getValue(), services));
                    }
                }
                if (isInit) {
                    continue;
                }
                Set<String> declared = new TreeSet<>();
                listOf(c.get("ports")).forEach(p -> declared.add(String.valueOf(p.get("containerPort"))));
                Set<String> expected = new TreeSet<>();
                s.ports().forEach(p -> expected.add(String.valueOf(p)));
                if (!declared.equals(expected)) {
                    problems.add(cid + ": container ports " + declared + ", " + module + " listens on " + expected);
                }
                problems.addAll(probes(cid, c, s, env));
                Object grace = Yamls.at(pod, "terminationGracePeriodSeconds");
                long seconds = grace instanceof Number n ? n.longValue() : 30;
                if (seconds <= s.drain().toSeconds()) {
                    problems.add(cid + ": terminationGracePeriodSeconds " + seconds + " is not longer than " + module
                            + "'s drain of " + s.drain().toSeconds() + " s (shutdown grace and long poll)");
                }
            }
        }
        for (Map<String, Object> so : byKind(objects, "ScaledObject").values()) {
            for (Map<String, Object> trigger : listOf(Yamls.at(so, "spec", "triggers"))) {
                Map<String, Object> metadata = Yamls.at(trigger, "metadata");
                if (metadata != null) {
                    metadata.forEach((k, v) -> problems.addAll(urlPorts(id(so) + " " + k, String.valueOf(v), services)));
                }
            }
        }
        return problems;
    }

    private static List<String> probes(String cid, Map<String, Object> c, ServiceSettings s, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Map<String, String> paths = Map.of("livenessProbe", "/live", "readinessProbe", "/ready", "startupProbe", "/live|/started");
        for (Map.Entry<String, String> expected : paths.entrySet()) {
            Map<String, Object> probe = Yamls.at(c, expected.getKey());
            if (probe == null) {
                continue;
            }
            Map<String, Object> http = Yamls.at(probe, "httpGet");
            if (!s.hasHealth()) {
                // No HTTP health: a port of the module that accepts connections, or its ready file in its data directory.
                Object port = Yamls.at(probe, "tcpSocket", "port");
                List<Object> command = Yamls.at(probe, "exec", "command");
                String dataDir = env.getOrDefault("LOCAL_CLOUD_DATA_DIR", s.properties().get("LOCAL_CLOUD_DATA_DIR"));
                boolean tcp = port != null && s.ports().contains(port);
                boolean ready = command != null && s.readyFile() != null
                        && String.join(" ", command.stream().map(String::valueOf).toList()).contains(dataDir + "/" + s.readyFile());
                if (!tcp && !ready) {
                    problems.add(cid + ": " + expected.getKey() + " is neither a tcpSocket on one of " + s.ports()
                            + " nor a test of " + dataDir + "/" + s.readyFile());
                }
                continue;
            }
            if (http == null) {
                problems.add(cid + ": " + expected.getKey() + " is not an HTTP probe of " + s.healthRoot());
                continue;
            }
            if (!Integer.valueOf(s.healthPort()).equals(http.get("port"))) {
                problems.add(cid + ": " + expected.getKey() + " on port " + http.get("port") + ", " + s.module()
                        + " serves health on " + s.healthPort());
            }
            String path = String.valueOf(http.get("path"));
            boolean ok = false;
            for (String suffix : expected.getValue().split("\\|")) {
                ok |= path.equals(s.healthRoot() + suffix);
            }
            if (!ok) {
                problems.add(cid + ": " + expected.getKey() + " path " + path + " is not " + s.healthRoot() + expected.getValue());
            }
        }
        return problems;
    }

    /** A URL naming a Service of these manifests by host must use one of its ports. */
    static List<String> urlPorts(String where, String value, Map<String, Map<String, Object>> services) {
        List<String> problems = new ArrayList<>();
        Matcher m = URL_HOST_PORT.matcher(value);
        while (m.find()) {
            Map<String, Object> service = services.get(m.group(1));
            if (service == null) {
                continue;
            }
            int port = Integer.parseInt(m.group(2));
            if (listOf(Yamls.at(service, "spec", "ports")).stream().noneMatch(p -> Integer.valueOf(port).equals(p.get("port")))) {
                problems.add(where + ": " + value + " uses port " + port + ", Service " + m.group(1) + " has no such port");
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, Map<String, Object>> byKind(List<Map<String, Object>> objects, String kind) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        for (Map<String, Object> o : objects) {
            if (kind.equals(o.get("kind"))) {
                found.put(Yamls.at(o, "metadata", "name"), o);
            }
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> listOf(Object value) {
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private static Map<String, Object> selected(Collection<Map<String, Object>> deployments, Map<String, Object> selector) {
        for (Map<String, Object> d : deployments) {
            if (matches(Yamls.at(d, "spec", "template", "metadata", "labels"), selector)) {
                return d;
            }
        }
        return null;
    }

    private static boolean matches(Map<String, Object> labels, Map<String, Object> selector) {
        return labels != null && selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Set<Object> containerPorts(Map<String, Object> deployment) {
        Set<Object> ports = new java.util.HashSet<>();
        for (Map<String, Object> c : listOf(Yamls.at(deployment, "spec", "template", "spec", "containers"))) {
            for (Map<String, Object> p : listOf(c.get("ports"))) {
                ports.add(p.get("containerPort"));
                if (p.get("name") != null) {
                    ports.add(p.get("name"));
                }
            }
        }
        return ports;
    }

    /**
     * KEDA's kinds, checked by hand: KEDA's CRD schemas are not published to a registry these builds
     * reach, so each field used is listed here from KEDA's API types (keda.sh/v1alpha1, KEDA 2.13+; the
     * names, required fields and enums were compared once with npm's @kubernetes-models/keda 2.0.0) and
     * the aws-sqs-queue scaler's documentation, and anything else is reported. The HPA behavior inside
     * a ScaledObject is Kubernetes' own type and is read strictly with the fabric8 model.
     */
    static final class Keda {

        static final Set<String> SQS_METADATA = Set.of("queueURL", "queueURLFromEnv", "queueLength",
                "activationQueueLength", "awsRegion", "awsEndpoint", "scaleOnInFlight", "scaleOnDelayed");
        static final Set<String> SQS_AUTH_PARAMETERS = Set.of("awsAccessKeyID", "awsSecretAccessKey",
                "awsSessionToken", "awsRoleArn");
        static final Set<String> POD_IDENTITY_PROVIDERS = Set.of("none", "azure-workload", "gcp", "aws", "aws-eks");

        private Keda() {
        }

        static List<String> check(Map<String, Object> object) {
            List<String> p = new ArrayList<>();
            String id = id(object);
            keys(p, id, object, Set.of("apiVersion", "kind", "metadata", "spec"), Set.of("apiVersion", "kind", "metadata", "spec"));
            p.addAll(strict(Map.of("metadata", object.getOrDefault("metadata", Map.of())), ServiceAccount.class, id));
            Map<String, Object> spec = Yamls.at(object, "spec");
            if (spec == null) {
                return p;
            }
            switch (String.valueOf(object.get("kind"))) {
                case "ScaledObject" -> scaledObject(p, id, spec);
                case "TriggerAuthentication" -> triggerAuthentication(p, id, spec);
                default -> p.add(id + ": KEDA kind " + object.get("kind") + " is not one these checks know");
            }
            return p;
        }

        private static void scaledObject(List<String> p, String id, Map<String, Object> spec) {
            keys(p, id + ".spec", spec, Set.of("scaleTargetRef", "pollingInterval", "initialCooldownPeriod",
                    "cooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "advanced", "fallback",
                    "triggers"), Set.of("scaleTargetRef", "triggers"));
            for (String field : List.of("pollingInterval", "initialCooldownPeriod", "cooldownPeriod", "idleReplicaCount",
                    "minReplicaCount", "maxReplicaCount")) {
                if (spec.containsKey(field) && !(spec.get(field) instanceof Integer)) {
                    p.add(id + ".spec." + field + ": not an integer");
                }
            }
            Map<String, Object> target = Yamls.at(spec, "scaleTargetRef");
            if (target != null) {
                keys(p, id + ".spec.scaleTargetRef", target, Set.of("name", "apiVersion", "kind", "envSourceContainerName"), Set.of("name"));
            }
            Map<String, Object> advanced = Yamls.at(spec, "advanced");
            if (advanced != null) {
                keys(p, id + ".spec.advanced", advanced, Set.of("restoreToOriginalReplicaCount",
                        "horizontalPodAutoscalerConfig", "scalingModifiers"), Set.of());
                Map<String, Object> hpa = Yamls.at(advanced, "horizontalPodAutoscalerConfig");
                if (hpa != null) {
                    keys(p, id + ".spec.advanced.horizontalPodAutoscalerConfig", hpa, Set.of("name", "behavior"), Set.of());
                    if (hpa.get("behavior") != null) {
                        p.addAll(strict(hpa.get("behavior"), HorizontalPodAutoscalerBehavior.class,
                                id + ".spec.advanced.horizontalPodAutoscalerConfig.behavior"));
                    }
                }
            }
            Map<String, Object> fallback = Yamls.at(spec, "fallback");
            if (fallback != null) {
                keys(p, id + ".spec.fallback", fallback, Set.of("failureThreshold", "replicas"), Set.of("failureThreshold", "replicas"));
            }
            Object min = spec.get("minReplicaCount");
            Object max = spec.get("maxReplicaCount");
            if (min instanceof Integer lo && max instanceof Integer hi && lo > hi) {
                p.add(id + ".spec: minReplicaCount above maxReplicaCount");
            }
            List<Map<String, Object>> triggers = listOf(spec.get("triggers"));
            if (triggers.isEmpty()) {
                p.add(id + ".spec.triggers: none");
            }
            int i = 0;
            for (Map<String, Object> t : triggers) {
                String tid = id + ".spec.triggers[" + i++ + "]";
                keys(p, tid, t, Set.of("type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics"),
                        Set.of("type", "metadata"));
                if (t.get("authenticationRef") != null) {
                    keys(p, tid + ".authenticationRef", Yamls.at(t, "authenticationRef"), Set.of("name", "kind"), Set.of("name"));
                }
                Map<String, Object> metadata = Yamls.at(t, "metadata");
                if (metadata == null) {
                    continue;
                }
                metadata.forEach((k, v) -> {
                    if (!(v instanceof String)) {
                        p.add(tid + ".metadata." + k + ": KEDA takes strings only (quote it)");
                    }
                });
                if ("aws-sqs-queue".equals(t.get("type"))) {
                    keys(p, tid + ".metadata", metadata, SQS_METADATA, Set.of("awsRegion"));
                    if (!metadata.containsKey("queueURL") && !metadata.containsKey("queueURLFromEnv")) {
                        p.add(tid + ".metadata: neither queueURL nor queueURLFromEnv");
                    }
                    for (String number : List.of("queueLength", "activationQueueLength")) {
                        if (metadata.get(number) instanceof String s && !s.matches("\\d+")) {
                            p.add(tid + ".metadata." + number + ": not a whole number");
                        }
                    }
                } else {
                    p.add(tid + ": trigger type " + t.get("type") + " is not one these checks know");
                }
            }
        }

        private static void triggerAuthentication(List<String> p, String id, Map<String, Object> spec) {
            keys(p, id + ".spec", spec, Set.of("podIdentity", "secretTargetRef", "env"), Set.of());
            if (spec.isEmpty()) {
                p.add(id + ".spec: no way to authenticate");
            }
            Map<String, Object> identity = Yamls.at(spec, "podIdentity");
            if (identity != null) {
                keys(p, id + ".spec.podIdentity", identity, Set.of("provider", "identityId", "identityTenantId",
                        "identityAuthorityHost", "roleArn", "identityOwner"), Set.of("provider"));
                if (!POD_IDENTITY_PROVIDERS.contains(String.valueOf(identity.get("provider")))) {
                    p.add(id + ".spec.podIdentity.provider: " + identity.get("provider") + " is not one of " + POD_IDENTITY_PROVIDERS);
                }
                Object owner = identity.get("identityOwner");
                if (owner != null && !Set.of("keda", "workload").contains(owner)) {
                    p.add(id + ".spec.podIdentity.identityOwner: " + owner + " is not keda or workload");
                }
            }
            for (Map<String, Object> ref : listOf(spec.get("secretTargetRef"))) {
                keys(p, id + ".spec.secretTargetRef", ref, Set.of("parameter", "name", "key"), Set.of("parameter", "name", "key"));
                if (!SQS_AUTH_PARAMETERS.contains(String.valueOf(ref.get("parameter")))) {
                    p.add(id + ".spec.secretTargetRef: parameter " + ref.get("parameter") + " is not one aws-sqs-queue takes " + SQS_AUTH_PARAMETERS);
                }
            }
            for (Map<String, Object> ref : listOf(spec.get("env"))) {
                keys(p, id + ".spec.env", ref, Set.of("parameter", "name", "containerName"), Set.of("parameter", "name"));
            }
        }

        private static void keys(List<String> p, String where, Map<String, Object> map, Set<String> allowed, Set<String> required) {
            if (map == null) {
                p.add(where + ": missing");
                return;
            }
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    p.add(where + ": unknown field " + key);
                }
            }
            for (String key : required) {
                if (!map.containsKey(key)) {
                    p.add(where + ": missing required field " + key);
                }
            }
        }
    }
}
