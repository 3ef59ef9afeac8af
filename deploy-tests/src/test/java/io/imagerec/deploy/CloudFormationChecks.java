package io.imagerec.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks of a CloudFormation template, read with {@link Yamls} (short forms as long forms). */
final class CloudFormationChecks {

    static final Set<String> TOP_LEVEL = Set.of("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters",
            "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs");
    static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "DependsOn", "DeletionPolicy",
            "UpdateReplacePolicy", "Condition", "Metadata", "CreationPolicy", "UpdatePolicy");
    static final Set<String> PSEUDO = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
            "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    static final Set<String> FUNCTIONS = Set.of("Ref", "Condition", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::Join",
            "Fn::Select", "Fn::Split", "Fn::Base64", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::FindInMap",
            "Fn::GetAZs", "Fn::ImportValue", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString");
    static final Pattern PARAMETER_TYPE = Pattern.compile(
            "String|Number|List<Number>|CommaDelimitedList|AWS::[A-Za-z0-9:]+|List<AWS::[A-Za-z0-9:]+>|AWS::SSM::Parameter::Value<[A-Za-z0-9:<>]+>");

    /**
     * Actions that accept no resource but "*": the Service Authorization Reference lists no resource type
     * for them, or (DetectModerationLabels) only an optional one, a custom adapter's project version,
     * which the worker never names. Every other action must name its resources.
     */
    static final Set<String> ONLY_STAR_RESOURCE = Set.of(
            "rekognition:DetectLabels", "rekognition:DetectText", "rekognition:DetectFaces",
            "rekognition:DetectModerationLabels", "ecr:GetAuthorizationToken");

    private CloudFormationChecks() {
    }

    // ------------------------------------------------------------------ against the specification

    /** Resource types, property names and types, required properties, GetAtt attributes, and every reference. */
    static List<String> specification(Map<String, Object> template, CloudFormationSpec spec) {
        List<String> p = new ArrayList<>();
        for (String key : template.keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                p.add("template: unknown section " + key);
            }
        }
        Map<String, Object> parameters = map(template.get("Parameters"));
        Map<String, Object> resources = map(template.get("Resources"));
        Map<String, Object> conditions = map(template.get("Conditions"));
        parameters.forEach((name, value) -> {
            Object type = map(value).get("Type");
            if (!(type instanceof String t) || !PARAMETER_TYPE.matcher(t).matches()) {
                p.add("Parameters." + name + ": Type " + type + " is not a parameter type");
            }
        });
        if (resources.isEmpty()) {
            p.add("template: no Resources");
        }
        for (Map.Entry<String, Object> r : resources.entrySet()) {
            String id = "Resources." + r.getKey();
            Map<String, Object> resource = map(r.getValue());
            for (String key : resource.keySet()) {
                if (!RESOURCE_KEYS.contains(key)) {
                    p.add(id + ": unknown resource attribute " + key);
                }
            }
            String type = (String) resource.get("Type");
            JsonNode definition = spec.resources.get(type);
            if (definition == null) {
                p.add(id + ": resource type " + type + " is not in the CloudFormation specification");
                continue;
            }
            object(spec, definition.path("properties"), map(resource.get("Properties")), id + ".Properties", p);
        }
        Context context = new Context(parameters.keySet(), resources, conditions.keySet(), spec);
        references(template.get("Resources"), "Resources", context, p);
        references(template.get("Outputs"), "Outputs", context, p);
        references(template.get("Conditions"), "Conditions", context, p);
        return p;
    }

    private static void object(CloudFormationSpec spec, JsonNode properties, Map<String, Object> values, String path, List<String> p) {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            JsonNode property = properties.get(e.getKey());
            if (property == null) {
                p.add(path + "." + e.getKey() + ": no such property");
                continue;
            }
            value(spec, property.path("type"), e.getValue(), path + "." + e.getKey(), p);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().path("required").asBoolean(false) && !values.containsKey(field.getKey())) {
                p.add(path + "." + field.getKey() + ": required property missing");
            }
        }
    }

    private static void value(CloudFormationSpec spec, JsonNode type, Object value, String path, List<String> p) {
        if (isFunction(value)) {
            Map<String, Object> function = map(value);
            if (function.containsKey("Fn::If") && function.get("Fn::If") instanceof List<?> branches && branches.size() == 3) {
                for (int i = 1; i < 3; i++) {
                    if (!isNoValue(branches.get(i))) {
                        value(spec, type, branches.get(i), path, p);
                    }
                }
            }
            return;
        }
        String kind = type.path("type").asText();
        switch (kind) {
            case "string", "date-time" -> {
                if (value instanceof Map || value instanceof List) {
                    p.add(path + ": expected a string");
                } else {
                    allowed(type, value, path, p);
                }
            }
            case "number", "integer" -> {
                if (value instanceof String s) {
                    if (!s.matches("-?\\d+(\\.\\d+)?")) {
                        p.add(path + ": expected a number, found " + s);
                    }
                } else if (!(value instanceof Number)) {
                    p.add(path + ": expected a number");
                } else {
                    allowed(type, value, path, p);
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean) && !"true".equals(value) && !"false".equals(value)) {
                    p.add(path + ": expected true or false");
                }
            }
            case "json" -> {
            }
            case "tag" -> {
                Map<String, Object> tag = map(value);
                if (!tag.containsKey("Key") || !tag.containsKey("Value") || tag.size() != 2) {
                    p.add(path + ": a tag is Key and Value");
                }
            }
            case "array" -> {
                if (!(value instanceof List<?> list)) {
                    p.add(path + ": expected a list");
                } else {
                    for (int i = 0; i < list.size(); i++) {
                        value(spec, type.path("element"), list.get(i), path + "[" + i + "]", p);
                    }
                }
            }
            case "map" -> {
                if (!(value instanceof Map<?, ?> m)) {
                    p.add(path + ": expected a map");
                } else {
                    m.forEach((k, v) -> value(spec, type.path("element"), v, path + "." + k, p));
                }
            }
            case "ref" -> {
                JsonNode definition = spec.type(type);
                if (!(value instanceof Map)) {
                    p.add(path + ": expected " + (definition == null ? "an object" : definition.path("name").asText()));
                } else if (definition != null) {
                    object(spec, definition.path("properties"), map(value), path, p);
                }
            }
            case "union" -> {
                List<String> best = null;
                for (JsonNode alternative : type.path("types")) {
                    List<String> attempt = new ArrayList<>();
                    value(spec, alternative, value, path, attempt);
                    if (attempt.isEmpty()) {
                        return;
                    }
                    if (best == null || attempt.size() < best.size()) {
                        best = attempt;
                    }
                }
                p.add(path + ": fits none of its types" + (best == null ? "" : ", e.g. " + best.get(0)));
            }
            default -> {
            }
        }
    }

    private static void allowed(JsonNode type, Object value, String path, List<String> p) {
        JsonNode allowed = type.path("allowedValues");
        if (allowed.isArray() && allowed.size() > 0) {
            for (JsonNode a : allowed) {
                if (a.asText().equals(String.valueOf(value))) {
                    return;
                }
            }
            p.add(path + ": " + value + " is not one of " + allowed);
        }
    }

    private record Context(Set<String> parameters, Map<String, Object> resources, Set<String> conditions, CloudFormationSpec spec) {
        boolean referable(String name) {
            return parameters.contains(name) || resources.containsKey(name) || PSEUDO.contains(name);
        }
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private static void references(Object node, String path, Context c, List<String> p) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                references(list.get(i), path + "[" + i + "]", c, p);
            }
            return;
        }
        if (!(node instanceof Map<?, ?>)) {
            return;
        }
        Map<String, Object> map = map(node);
        if (map.size() == 1) {
            String key = map.keySet().iterator().next();
            Object arg = map.get(key);
            if (key.startsWith("Fn::") && !FUNCTIONS.contains(key)) {
                p.add(path + ": unknown intrinsic function " + key);
            }
            switch (key) {
                case "Ref" -> {
                    if (!(arg instanceof String name) || !c.referable(name)) {
                        p.add(path + ": Ref " + arg + " names no parameter, resource or pseudo parameter");
                    }
                    return;
                }
                case "Fn::GetAtt" -> {
                    if (arg instanceof List<?> parts && parts.size() == 2 && parts.get(0) instanceof String res) {
                        getAtt(res, parts.get(1) instanceof String a ? a : null, path, c, p);
                    } else {
                        p.add(path + ": Fn::GetAtt takes [resource, attribute]");
                    }
                    return;
                }
                case "Fn::Sub" -> {
                    String text;
                    Set<String> local = new LinkedHashSet<>();
                    if (arg instanceof String s) {
                        text = s;
                    } else if (arg instanceof List<?> parts && parts.size() == 2 && parts.get(0) instanceof String s) {
                        text = s;
                        local.addAll(map(parts.get(1)).keySet());
                        references(parts.get(1), path + ".Fn::Sub", c, p);
                    } else {
                        p.add(path + ": Fn::Sub takes a string or [string, variables]");
                        return;
                    }
                    Matcher m = SUB_VARIABLE.matcher(text);
                    while (m.find()) {
                        String name = m.group(1).trim();
                        if (local.contains(name) || c.referable(name)) {
                            continue;
                        }
                        int dot = name.indexOf('.');
                        if (dot > 0 && c.resources().containsKey(name.substring(0, dot))) {
                            getAtt(name.substring(0, dot), name.substring(dot + 1), path, c, p);
                        } else {
                            p.add(path + ": Fn::Sub variable ${" + name + "} names nothing in the template");
                        }
                    }
                    return;
                }
                case "Fn::If" -> {
                    if (arg instanceof List<?> parts && parts.size() == 3 && parts.get(0) instanceof String cond) {
                        if (!c.conditions().contains(cond)) {
                            p.add(path + ": Fn::If condition " + cond + " is not defined");
                        }
                        references(parts.subList(1, 3), path + ".Fn::If", c, p);
                    } else {
                        p.add(path + ": Fn::If takes [condition, then, else]");
                    }
                    return;
                }
                case "Condition" -> {
                    if (path.startsWith("Conditions") && !(arg instanceof String s && c.conditions().contains(s))) {
                        p.add(path + ": Condition " + arg + " is not defined");
                    }
                }
                default -> {
                }
            }
        }
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = e.getKey();
            if (path.startsWith("Resources") && path.indexOf('.') < 0) {
                // A resource: its DependsOn and Condition name other parts of the template.
                Map<String, Object> resource = map(e.getValue());
                for (Object dependency : asList(resource.get("DependsOn"))) {
                    if (!c.resources().containsKey(dependency)) {
                        p.add(path + "." + key + ": DependsOn " + dependency + " is not a resource");
                    }
                }
                if (resource.get("Condition") instanceof String cond && !c.conditions().contains(cond)) {
                    p.add(path + "." + key + ": Condition " + cond + " is not defined");
                }
            }
            references(e.getValue(), path + "." + key, c, p);
        }
    }

    private static void getAtt(String resource, String attribute, String path, Context c, List<String> p) {
        Object target = c.resources().get(resource);
        if (target == null) {
            p.add(path + ": Fn::GetAtt " + resource + " is not a resource");
            return;
        }
        JsonNode definition = c.spec().resources.get(String.valueOf(map(target).get("Type")));
        if (definition != null && attribute != null && !definition.path("attributes").has(attribute)) {
            p.add(path + ": " + map(target).get("Type") + " has no attribute " + attribute + " (Fn::GetAtt " + resource + "." + attribute + ")");
        }
    }

    // ------------------------------------------------------------------ queues

    /** Every queue is a dead-letter queue or has one, with maxReceiveCount {@code maxReceives}. */
    static List<String> deadLetterQueues(Map<String, Object> template, int maxReceives) {
        List<String> p = new ArrayList<>();
        Map<String, Object> queues = ofType(template, "AWS::SQS::Queue");
        Set<String> deadLetterQueues = new TreeSet<>();
        for (Object queue : queues.values()) {
            Map<String, Object> redrive = map(Yamls.at(queue, "Properties", "RedrivePolicy"));
            if (Yamls.at(redrive, "deadLetterTargetArn", "Fn::GetAtt") instanceof List<?> target) {
                deadLetterQueues.add(String.valueOf(target.get(0)));
            }
        }
        for (Map.Entry<String, Object> q : queues.entrySet()) {
            if (deadLetterQueues.contains(q.getKey())) {
                continue;
            }
            Map<String, Object> redrive = map(Yamls.at(q.getValue(), "Properties", "RedrivePolicy"));
            Object target = Yamls.at(redrive, "deadLetterTargetArn", "Fn::GetAtt");
            if (!(target instanceof List<?> t) || !queues.containsKey(t.get(0)) || !"Arn".equals(t.get(1))) {
                p.add("Resources." + q.getKey() + ": queue without a dead-letter queue (RedrivePolicy.deadLetterTargetArn: !GetAtt <queue>.Arn)");
                continue;
            }
            Object count = redrive.get("maxReceiveCount");
            if (count == null || !String.valueOf(count).equals(String.valueOf(maxReceives))) {
                p.add("Resources." + q.getKey() + ": maxReceiveCount " + count + ", the worker's worker.max-receives is " + maxReceives);
            }
            Object dlqRetention = Yamls.at(queues.get(t.get(0)), "Properties", "MessageRetentionPeriod");
            Object retention = Yamls.at(q.getValue(), "Properties", "MessageRetentionPeriod");
            long source = retention == null ? 345600 : Long.parseLong(String.valueOf(retention));
            long dead = dlqRetention == null ? 345600 : Long.parseLong(String.valueOf(dlqRetention));
            if (dead <= source) {
                p.add("Resources." + t.get(0) + ": keeps messages " + dead + " s, not longer than its source " + q.getKey() + " (" + source + " s)");
            }
        }
        return p;
    }

    // ------------------------------------------------------------------ IAM

    /** No Allow statement grants a wildcard action, or "*" as resource where the action takes ARNs. */
    static List<String> iam(Map<String, Object> template) {
        List<String> p = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> doc : policyStatements(template).entrySet()) {
            int i = 0;
            for (Map<String, Object> statement : doc.getValue()) {
                String where = doc.getKey() + ".Statement[" + i++ + "]";
                if (!"Allow".equals(statement.get("Effect"))) {
                    continue;
                }
                if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) {
                    p.add(where + ": NotAction/NotResource in an Allow grants everything else");
                }
                Object principal = statement.get("Principal");
                if ("*".equals(principal) || "*".equals(Yamls.at(principal, "AWS"))) {
                    p.add(where + ": allows anyone (Principal *)");
                }
                List<Object> actions = asList(statement.get("Action"));
                for (Object action : actions) {
                    if (String.valueOf(action).contains("*")) {
                        p.add(where + ": wildcard action " + action);
                    }
                }
                if (asList(statement.get("Resource")).contains("*")) {
                    for (Object action : actions) {
                        if (!ONLY_STAR_RESOURCE.contains(String.valueOf(action))) {
                            p.add(where + ": " + action + " on resource * although it takes resource ARNs");
                        }
                    }
                }
            }
        }
        return p;
    }

    /** Every policy document's statements, by where they are. Trust policies are left out. */
    static Map<String, List<Map<String, Object>>> policyStatements(Map<String, Object> template) {
        Map<String, List<Map<String, Object>>> found = new LinkedHashMap<>();
        for (Map.Entry<String, Object> r : map(template.get("Resources")).entrySet()) {
            String type = String.valueOf(map(r.getValue()).get("Type"));
            Map<String, Object> props = map(map(r.getValue()).get("Properties"));
            String where = "Resources." + r.getKey();
            switch (type) {
                case "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy",
                        "AWS::SNS::TopicPolicy" -> found.put(where + ".PolicyDocument", statements(props.get("PolicyDocument")));
                case "AWS::IAM::Role" -> {
                    int i = 0;
                    for (Object policy : asList(props.get("Policies"))) {
                        found.put(where + ".Policies[" + i++ + "]", statements(Yamls.at(policy, "PolicyDocument")));
                    }
                }
                default -> {
                }
            }
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Object document) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Object s : asList(Yamls.at(document, "Statement"))) {
            list.add((Map<String, Object>) s);
        }
        return list;
    }

    // ------------------------------------------------------------------ services on instances

    /** One service's instances: its module, launch template, role and what it grants. */
    record Deployed(String module, String group, String launchTemplate, String role, Set<String> granted) {
    }

    private static final Pattern IMAGE = Pattern.compile("imagerec/([a-z-]+):");

    /** Follows each Auto Scaling group to its launch template, instance profile, role and policies. */
    static List<Deployed> deployed(Map<String, Object> template) {
        Map<String, Object> resources = map(template.get("Resources"));
        List<Deployed> found = new ArrayList<>();
        for (Map.Entry<String, Object> g : ofType(template, "AWS::AutoScaling::AutoScalingGroup").entrySet()) {
            String lt = String.valueOf((Object) Yamls.at(g.getValue(), "Properties", "LaunchTemplate", "LaunchTemplateId", "Ref"));
            Object data = Yamls.at(resources.get(lt), "Properties", "LaunchTemplateData");
            String userData = userData(data);
            Matcher image = IMAGE.matcher(userData);
            String module = image.find() ? image.group(1) : null;
            List<Object> profileRef = Yamls.at(data, "IamInstanceProfile", "Arn", "Fn::GetAtt");
            String role = null;
            Set<String> granted = new TreeSet<>();
            if (profileRef != null) {
                Object roleRef = asList(Yamls.at(resources.get(profileRef.get(0)), "Properties", "Roles")).stream().findFirst().orElse(null);
                role = roleRef == null ? null : String.valueOf((Object) Yamls.at(roleRef, "Ref"));
                Map<String, Object> roleProps = map(Yamls.at(resources.get(role), "Properties"));
                List<Object> documents = new ArrayList<>();
                for (Object policy : asList(roleProps.get("ManagedPolicyArns"))) {
                    documents.add(Yamls.at(resources.get(String.valueOf((Object) Yamls.at(policy, "Ref"))), "Properties", "PolicyDocument"));
                }
                for (Object policy : asList(roleProps.get("Policies"))) {
                    documents.add(Yamls.at(policy, "PolicyDocument"));
                }
                for (Object document : documents) {
                    for (Map<String, Object> s : statements(document)) {
                        if ("Allow".equals(s.get("Effect"))) {
                            asList(s.get("Action")).forEach(a -> granted.add(String.valueOf(a)));
                        }
                    }
                }
            }
            found.add(new Deployed(module, g.getKey(), lt, role, granted));
        }
        return found;
    }

    static String userData(Object launchTemplateData) {
        Object sub = Yamls.at(launchTemplateData, "UserData", "Fn::Base64", "Fn::Sub");
        if (sub instanceof List<?> parts) {
            sub = parts.get(0);
        }
        return sub instanceof String s ? s : "";
    }

    /** The AWS SDK calls in the code, and the IAM action each needs. */
    static final Map<String, String> SDK_CALLS = Map.ofEntries(
            Map.entry("putObject", "s3:PutObject"), Map.entry("presignPutObject", "s3:PutObject"),
            Map.entry("getObject", "s3:GetObject"), Map.entry("presignGetObject", "s3:GetObject"),
            Map.entry("headObject", "s3:GetObject"), Map.entry("deleteObject", "s3:DeleteObject"),
            Map.entry("deleteObjects", "s3:DeleteObject"), Map.entry("headBucket", "s3:ListBucket"),
            Map.entry("listObjectsV2", "s3:ListBucket"), Map.entry("listObjects", "s3:ListBucket"),
            Map.entry("sendMessage", "sqs:SendMessage"), Map.entry("sendMessageBatch", "sqs:SendMessage"),
            Map.entry("receiveMessage", "sqs:ReceiveMessage"), Map.entry("deleteMessage", "sqs:DeleteMessage"),
            Map.entry("deleteMessageBatch", "sqs:DeleteMessage"),
            Map.entry("changeMessageVisibility", "sqs:ChangeMessageVisibility"),
            Map.entry("changeMessageVisibilityBatch", "sqs:ChangeMessageVisibility"),
            Map.entry("getQueueUrl", "sqs:GetQueueUrl"), Map.entry("getQueueAttributes", "sqs:GetQueueAttributes"),
            Map.entry("startMessageMoveTask", "sqs:StartMessageMoveTask"),
            Map.entry("listMessageMoveTasks", "sqs:ListMessageMoveTasks"),
            Map.entry("cancelMessageMoveTask", "sqs:CancelMessageMoveTask"), Map.entry("purgeQueue", "sqs:PurgeQueue"),
            Map.entry("detectLabels", "rekognition:DetectLabels"), Map.entry("detectText", "rekognition:DetectText"),
            Map.entry("detectFaces", "rekognition:DetectFaces"),
            Map.entry("detectModerationLabels", "rekognition:DetectModerationLabels"));

    /** What the SmallRye SQS connector calls for an incoming channel with failure-strategy visibility. */
    static final Set<String> CONNECTOR_CALLS = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl");

    /**
     * Permissions a call needs beyond its own action: Rekognition reads an S3Object with the caller's
     * permissions; with s3:ListBucket S3 answers a missing key 404 instead of 403 (the services rely on
     * it); a message move task receives from the dead-letter queue and sends to the source queue with the
     * caller's permissions.
     */
    static final Map<String, Set<String>> IMPLIED = Map.of(
            "rekognition:DetectLabels", Set.of("s3:GetObject"),
            "rekognition:DetectText", Set.of("s3:GetObject"),
            "rekognition:DetectFaces", Set.of("s3:GetObject"),
            "rekognition:DetectModerationLabels", Set.of("s3:GetObject"),
            "s3:GetObject", Set.of("s3:ListBucket"),
            "sqs:StartMessageMoveTask", Set.of("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"));

    static Set<String> calls(Path sources) {
        Set<String> actions = new TreeSet<>();
        if (!sources.toFile().isDirectory()) {
            return actions;
        }
        Pattern call = Pattern.compile("\\.(\\w+)\\(");
        for (Path file : Repo.files(sources, ".java")) {
            Matcher m = call.matcher(Repo.read(file));
            while (m.find()) {
                String action = SDK_CALLS.get(m.group(1));
                if (action != null) {
                    actions.add(action);
                }
            }
        }
        return actions;
    }

    /**
     * Each service's role grants every S3, SQS and Rekognition call its own code and its SQS connector make,
     * and nothing that neither it, the project modules it depends on, nor those calls' implied needs make.
     */
    static List<String> grantsMatchCalls(List<Deployed> deployed) {
        List<String> p = new ArrayList<>();
        for (Deployed d : deployed) {
            if (d.module() == null) {
                p.add("Resources." + d.group() + ": its launch template runs no imagerec/<module> image");
                continue;
            }
            ServiceSettings settings = ServiceSettings.of(d.module());
            boolean connector = settings.properties().entrySet().stream()
                    .anyMatch(e -> e.getKey().endsWith(".connector") && e.getValue().equals("smallrye-sqs"));
            Set<String> needed = new TreeSet<>(calls(Repo.path(d.module() + "/src/main/java")));
            if (connector) {
                needed.addAll(CONNECTOR_CALLS);
            }
            Set<String> allowed = new TreeSet<>(needed);
            for (String dependency : projectDependencies(d.module())) {
                allowed.addAll(calls(Repo.path(dependency + "/src/main/java")));
            }
            for (String action : Set.copyOf(allowed)) {
                allowed.addAll(IMPLIED.getOrDefault(action, Set.of()));
            }
            for (String action : Set.copyOf(allowed)) {
                allowed.addAll(IMPLIED.getOrDefault(action, Set.of()));
            }
            Set<String> granted = new TreeSet<>();
            d.granted().stream().filter(a -> a.startsWith("s3:") || a.startsWith("sqs:") || a.startsWith("rekognition:"))
                    .forEach(granted::add);
            for (String action : needed) {
                if (!granted.contains(action)) {
                    p.add(d.role() + " (" + d.module() + "): lacks " + action + ", which its code calls");
                }
            }
            for (String action : granted) {
                if (!allowed.contains(action)) {
                    p.add(d.role() + " (" + d.module() + "): grants " + action + ", which nothing in " + d.module() + " calls");
                }
            }
        }
        return p;
    }

    static Set<String> projectDependencies(String module) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile("<groupId>io\\.imagerec</groupId>\\s*<artifactId>([a-z-]+)</artifactId>(?:\\s*<version>[^<]*</version>)?(?:\\s*<scope>([a-z]+)</scope>)?")
                .matcher(Repo.read(Repo.path(module + "/pom.xml")));
        while (m.find()) {
            if (!"test".equals(m.group(2))) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private static final Pattern ENV_FILE = Pattern.compile("<<'?ENV'?\\n(.*?)\\nENV\\n", Pattern.DOTALL);
    private static final Pattern PUBLISH = Pattern.compile("-p (?:[0-9.]+:)?(\\d+):(\\d+)");
    private static final Pattern STOP = Pattern.compile("docker stop -t (\\d+)");

    /** Load balancer ports and health checks, and each instance's environment, ports and stop timeout, against the services. */
    static List<String> againstServices(Map<String, Object> template) {
        List<String> p = new ArrayList<>();
        Map<String, Object> resources = map(template.get("Resources"));
        for (Deployed d : deployed(template)) {
            if (d.module() == null) {
                continue;
            }
            ServiceSettings s = ServiceSettings.of(d.module());
            String where = "Resources." + d.launchTemplate() + " (" + d.module() + ")";
            String userData = userData(Yamls.at(resources.get(d.launchTemplate()), "Properties", "LaunchTemplateData"));
            Matcher env = ENV_FILE.matcher(userData);
            if (!env.find()) {
                p.add(where + ": no environment file (<<ENV ... ENV) in the user data");
            } else {
                for (String line : env.group(1).split("\n")) {
                    String name = line.contains("=") ? line.substring(0, line.indexOf('=')).trim() : line.trim();
                    if (!name.isEmpty() && !s.environment().contains(name)) {
                        p.add(where + ": environment variable " + name + " is read by nothing in " + d.module());
                    }
                }
            }
            Matcher publish = PUBLISH.matcher(userData);
            while (publish.find()) {
                int port = Integer.parseInt(publish.group(2));
                if (!s.ports().contains(port)) {
                    p.add(where + ": publishes container port " + port + ", " + d.module() + " listens on " + s.ports());
                }
            }
            Matcher stop = STOP.matcher(userData);
            if (!stop.find()) {
                p.add(where + ": no docker stop -t <seconds> in the user data");
            } else if (Long.parseLong(stop.group(1)) <= s.drain().toSeconds()) {
                p.add(where + ": docker stop waits " + stop.group(1) + " s, not longer than " + d.module() + "'s drain of "
                        + s.drain().toSeconds() + " s");
            }
            for (Object tgRef : asList(Yamls.at(resources.get(d.group()), "Properties", "TargetGroupARNs"))) {
                String tg = String.valueOf((Object) Yamls.at(tgRef, "Ref"));
                Map<String, Object> props = map(Yamls.at(resources.get(tg), "Properties"));
                String tw = "Resources." + tg + " (" + d.module() + ")";
                int api = s.ports().stream().mapToInt(Integer::intValue).min().orElse(-1);
                int http = Integer.parseInt(s.properties().getOrDefault("quarkus.http.port", String.valueOf(api)));
                if (!String.valueOf(http).equals(String.valueOf(props.get("Port")))) {
                    p.add(tw + ": Port " + props.get("Port") + ", " + d.module() + "'s API is on " + http);
                }
                Object hcPort = props.getOrDefault("HealthCheckPort", "traffic-port");
                String effective = "traffic-port".equals(hcPort) ? String.valueOf(props.get("Port")) : String.valueOf(hcPort);
                if (!effective.equals(String.valueOf(s.healthPort()))) {
                    p.add(tw + ": health checked on " + effective + ", " + d.module() + " serves health on " + s.healthPort());
                }
                if (!(s.healthRoot() + "/ready").equals(props.get("HealthCheckPath"))) {
                    p.add(tw + ": HealthCheckPath " + props.get("HealthCheckPath") + " is not " + s.healthRoot() + "/ready");
                }
            }
        }
        return p;
    }

    // ------------------------------------------------------------------ what issue 13 asks of the stack

    /** The key prefixes the services write, read from their sources: e.g. {@code PREFIX = "direct/"}. */
    static String prefixIn(String source, String constant) {
        Matcher m = Pattern.compile(constant + "\\s*=\\s*\"([a-z-]+/)\"").matcher(Repo.read(Repo.path(source)));
        if (!m.find()) {
            throw new IllegalStateException("No " + constant + " = \"...\" in " + source);
        }
        return m.group(1);
    }

    /**
     * The images bucket: encrypted, private, TLS only, lifecycle rules for {@code expiring} prefixes, and
     * notifications of objects created under {@code directPrefix} sent to a queue whose policy lets S3 of
     * this bucket (aws:SourceArn) send.
     */
    static List<String> bucket(Map<String, Object> template, List<String> expiring, String directPrefix) {
        List<String> p = new ArrayList<>();
        Map<String, Object> buckets = ofType(template, "AWS::S3::Bucket");
        if (buckets.size() != 1) {
            p.add("template: " + buckets.size() + " buckets, expected the images bucket only");
            return p;
        }
        String name = buckets.keySet().iterator().next();
        Map<String, Object> props = map(Yamls.at(buckets.get(name), "Properties"));
        if (asList(Yamls.at(props, "BucketEncryption", "ServerSideEncryptionConfiguration")).isEmpty()) {
            p.add(name + ": no default encryption");
        }
        for (String block : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            if (!Boolean.TRUE.equals(Yamls.at(props, "PublicAccessBlockConfiguration", block))) {
                p.add(name + ": PublicAccessBlockConfiguration." + block + " is not true");
            }
        }
        boolean tlsOnly = false;
        for (Object policy : ofType(template, "AWS::S3::BucketPolicy").values()) {
            if (!name.equals(Yamls.at(policy, "Properties", "Bucket", "Ref"))) {
                continue;
            }
            for (Map<String, Object> s : statements(Yamls.at(policy, "Properties", "PolicyDocument"))) {
                tlsOnly |= "Deny".equals(s.get("Effect"))
                        && "false".equals(String.valueOf((Object) Yamls.at(s, "Condition", "Bool", "aws:SecureTransport")));
            }
        }
        if (!tlsOnly) {
            p.add(name + ": no bucket policy denying aws:SecureTransport false");
        }
        List<Object> rules = asList(Yamls.at(props, "LifecycleConfiguration", "Rules"));
        for (String prefix : expiring) {
            boolean found = rules.stream().anyMatch(r -> prefix.equals(Yamls.at(r, "Prefix"))
                    && "Enabled".equals(Yamls.at(r, "Status")) && Yamls.at(r, "ExpirationInDays") != null);
            if (!found) {
                p.add(name + ": no enabled lifecycle rule expiring " + prefix);
            }
        }
        List<Object> notifications = asList(Yamls.at(props, "NotificationConfiguration", "QueueConfigurations"));
        Object queue = null;
        for (Object n : notifications) {
            boolean prefix = asList(Yamls.at(n, "Filter", "S3Key", "Rules")).stream()
                    .anyMatch(r -> "prefix".equalsIgnoreCase(String.valueOf((Object) Yamls.at(r, "Name"))) && directPrefix.equals(Yamls.at(r, "Value")));
            if (prefix && String.valueOf((Object) Yamls.at(n, "Event")).startsWith("s3:ObjectCreated:")) {
                queue = Yamls.at(n, "Queue", "Fn::GetAtt");
            }
        }
        if (!(queue instanceof List<?> q)) {
            p.add(name + ": no s3:ObjectCreated notification of " + directPrefix + " to a queue");
            return p;
        }
        boolean allowed = false;
        for (Object policy : ofType(template, "AWS::SQS::QueuePolicy").values()) {
            boolean covers = asList(Yamls.at(policy, "Properties", "Queues")).stream().anyMatch(r -> q.get(0).equals(Yamls.at(r, "Ref")));
            for (Map<String, Object> s : statements(Yamls.at(policy, "Properties", "PolicyDocument"))) {
                allowed |= covers && "Allow".equals(s.get("Effect"))
                        && "s3.amazonaws.com".equals(Yamls.at(s, "Principal", "Service"))
                        && asList(s.get("Action")).contains("sqs:SendMessage")
                        && Yamls.at(s, "Condition", "ArnEquals", "aws:SourceArn") != null;
            }
        }
        if (!allowed) {
            p.add(q.get(0) + ": no queue policy letting s3.amazonaws.com send, with aws:SourceArn");
        }
        return p;
    }

    /** The workers' group tracks backlog per instance: visible messages of the jobs queue / in-service instances. */
    static List<String> workerScaling(Map<String, Object> template, String jobsQueue) {
        List<String> p = new ArrayList<>();
        String group = deployed(template).stream().filter(d -> "recognition-worker".equals(d.module()))
                .map(Deployed::group).findFirst().orElse(null);
        if (group == null) {
            p.add("template: no Auto Scaling group runs recognition-worker");
            return p;
        }
        Object policy = ofType(template, "AWS::AutoScaling::ScalingPolicy").values().stream()
                .filter(v -> group.equals(Yamls.at(v, "Properties", "AutoScalingGroupName", "Ref"))).findFirst().orElse(null);
        List<Object> metrics = asList(Yamls.at(policy, "Properties", "TargetTrackingConfiguration", "CustomizedMetricSpecification", "Metrics"));
        if (policy == null || !"TargetTrackingScaling".equals(Yamls.at(policy, "Properties", "PolicyType")) || metrics.isEmpty()) {
            p.add(group + ": no target-tracking policy with metric math");
            return p;
        }
        String visible = null;
        String inService = null;
        String expression = null;
        for (Object m : metrics) {
            String metric = String.valueOf((Object) Yamls.at(m, "MetricStat", "Metric", "MetricName"));
            Object dimension = Yamls.at(m, "MetricStat", "Metric", "Dimensions", 0, "Value");
            if (metric.equals("ApproximateNumberOfMessagesVisible") && jobsQueue.equals(Yamls.at(dimension, "Fn::GetAtt", 0))) {
                visible = String.valueOf((Object) Yamls.at(m, "Id"));
            } else if (metric.equals("GroupInServiceInstances") && group.equals(Yamls.at(dimension, "Ref"))) {
                inService = String.valueOf((Object) Yamls.at(m, "Id"));
            } else if (Yamls.at(m, "Expression") != null && Boolean.TRUE.equals(Yamls.at(m, "ReturnData"))) {
                expression = String.valueOf((Object) Yamls.at(m, "Expression")).replace(" ", "");
            }
        }
        if (visible == null || inService == null || !(visible + "/" + inService).equals(expression)) {
            p.add(group + ": the tracked metric is not " + jobsQueue + "'s ApproximateNumberOfMessagesVisible / GroupInServiceInstances");
        }
        boolean collected = asList(Yamls.at(template, "Resources", group, "Properties", "MetricsCollection")).stream()
                .anyMatch(c -> asList(Yamls.at(c, "Metrics")).contains("GroupInServiceInstances"));
        if (!collected) {
            p.add(group + ": GroupInServiceInstances is not collected (MetricsCollection)");
        }
        return p;
    }

    // ------------------------------------------------------------------ helpers

    static Map<String, Object> ofType(Map<String, Object> template, String type) {
        Map<String, Object> found = new LinkedHashMap<>();
        map(template.get("Resources")).forEach((k, v) -> {
            if (type.equals(map(v).get("Type"))) {
                found.put(k, v);
            }
        });
        return found;
    }

    static boolean isFunction(Object value) {
        if (!(value instanceof Map<?, ?> m) || m.size() != 1) {
            return false;
        }
        String key = String.valueOf(m.keySet().iterator().next());
        return key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition");
    }

    private static boolean isNoValue(Object value) {
        return value instanceof Map<?, ?> m && "AWS::NoValue".equals(m.get("Ref"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> l ? (List<Object>) l : List.of(value);
    }
}
