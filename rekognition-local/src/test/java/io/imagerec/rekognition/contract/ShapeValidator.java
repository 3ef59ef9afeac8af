package io.imagerec.rekognition.contract;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks raw AWS JSON 1.1 bodies against the service model: members (none unknown, the required ones
 * present), JSON types, enums, string patterns, and {@code min}/{@code max} (string and blob lengths,
 * list and map sizes, numeric ranges). Each breach is one line naming its path, e.g.
 * {@code DetectLabelsResponse.Labels[0].Name: ...}.
 */
public final class ShapeValidator {

    /** Members of an AWS JSON error body besides the error shape's own: the type and the message. */
    private static final Set<String> ERROR_PROTOCOL_MEMBERS = Set.of("__type", "message", "Message");

    private final ServiceModel model;
    private final Map<String, Pattern> patterns = new HashMap<>();

    public ShapeValidator(ServiceModel model) {
        this.model = model;
    }

    /** Breaches of {@code body} against the shape {@code shapeName}; empty when it conforms. */
    public List<String> validate(JsonNode body, String shapeName) {
        List<String> out = new ArrayList<>();
        check(body, shapeName, shapeName, out);
        return out;
    }

    /**
     * Breaches of an error answer: its type (x-amzn-ErrorType, else {@code __type}, without any
     * {@code namespace#} prefix or {@code :} suffix) must be one of {@code allowed}, the two must agree,
     * the body must be the error shape's members plus the type and message, and the status must say
     * client (4xx) or server (5xx) fault as the shape's {@code fault} flag does.
     */
    public List<String> validateError(int status, String headerType, JsonNode body, Set<String> allowed) {
        List<String> out = new ArrayList<>();
        String bodyType = body != null && body.path("__type").isTextual() ? errorName(body.get("__type").asText()) : null;
        String type = headerType != null ? errorName(headerType) : bodyType;
        if (type == null) {
            out.add("error: neither x-amzn-ErrorType nor __type names the error (status " + status + ")");
            return out;
        }
        if (headerType != null && bodyType != null && !bodyType.equals(type)) {
            out.add("error: x-amzn-ErrorType " + headerType + " but __type " + bodyType);
        }
        if (!allowed.contains(type)) {
            out.add("error: " + type + " is not an error of this operation (allowed: " + allowed + ")");
            return out;
        }
        if (!body.isObject()) {
            out.add(type + ": the body is not a JSON object");
            return out;
        }
        JsonNode shape = model.shape(type);
        boolean fault = shape.path("fault").asBoolean(false);
        if (fault ? status < 500 : status < 400 || status >= 500) {
            out.add(type + ": status " + status + " but the model says it is a " + (fault ? "server" : "client") + " fault");
        }
        if (!body.path("Message").isTextual() && !body.path("message").isTextual()) {
            out.add(type + ": no Message");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (ERROR_PROTOCOL_MEMBERS.contains(name)) {
                continue;
            }
            JsonNode member = shape.path("members").get(name);
            if (member == null) {
                out.add(type + "." + name + ": not a member of " + type);
            } else {
                check(body.get(name), member.path("shape").asText(), type + "." + name, out);
            }
        }
        return out;
    }

    /** {@code aws.protocoltests#ErrorName:http://...} → {@code ErrorName}. */
    static String errorName(String raw) {
        String name = raw;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        int hash = name.lastIndexOf('#');
        return hash >= 0 ? name.substring(hash + 1) : name;
    }

    private void check(JsonNode value, String shapeName, String path, List<String> out) {
        JsonNode shape = model.shape(shapeName);
        String type = shape.path("type").asText();
        if (value == null || value.isNull()) {
            // AWS JSON never sends null for a member: an absent member is left out.
            out.add(path + ": null (" + type + " " + shapeName + ")");
            return;
        }
        switch (type) {
            case "structure" -> structure(value, shape, shapeName, path, out);
            case "list" -> {
                if (!value.isArray()) {
                    out.add(path + ": expected a list (" + shapeName + "), got " + value.getNodeType());
                    return;
                }
                range(value.size(), shape, path, "size", out);
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), shape.path("member").path("shape").asText(), path + "[" + i + "]", out);
                }
            }
            case "map" -> {
                if (!value.isObject()) {
                    out.add(path + ": expected a map (" + shapeName + "), got " + value.getNodeType());
                    return;
                }
                range(value.size(), shape, path, "size", out);
                value.fields().forEachRemaining(e -> {
                    check(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()),
                            shape.path("key").path("shape").asText(), path + "{key " + e.getKey() + "}", out);
                    check(e.getValue(), shape.path("value").path("shape").asText(), path + "{" + e.getKey() + "}", out);
                });
            }
            case "string" -> string(value, shape, shapeName, path, out);
            case "integer", "long" -> {
                if (!value.isIntegralNumber() || type.equals("integer") && !value.canConvertToInt()
                        || type.equals("long") && !value.canConvertToLong()) {
                    out.add(path + ": expected an " + type + " (" + shapeName + "), got " + value);
                    return;
                }
                range(value.asLong(), shape, path, "value", out);
            }
            case "float", "double" -> {
                if (!value.isNumber()) {
                    out.add(path + ": expected a " + type + " (" + shapeName + "), got " + value.getNodeType());
                    return;
                }
                double v = value.asDouble();
                if (shape.has("min") && v < shape.get("min").asDouble() || shape.has("max") && v > shape.get("max").asDouble()) {
                    out.add(path + ": " + v + " outside " + bounds(shape) + " (" + shapeName + ")");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    out.add(path + ": expected a boolean (" + shapeName + "), got " + value);
                }
            }
            case "timestamp" -> {
                // AWS JSON 1.1 sends timestamps as epoch seconds, a JSON number.
                if (!value.isNumber()) {
                    out.add(path + ": expected a timestamp in epoch seconds (" + shapeName + "), got " + value);
                }
            }
            case "blob" -> {
                if (!value.isTextual()) {
                    out.add(path + ": expected base64 text (" + shapeName + "), got " + value.getNodeType());
                    return;
                }
                try {
                    range(Base64.getDecoder().decode(value.asText()).length, shape, path, "length", out);
                } catch (IllegalArgumentException e) {
                    out.add(path + ": not base64 (" + shapeName + ")");
                }
            }
            default -> out.add(path + ": the model's type " + type + " is unknown to this validator");
        }
    }

    private void structure(JsonNode value, JsonNode shape, String shapeName, String path, List<String> out) {
        if (!value.isObject()) {
            out.add(path + ": expected a structure (" + shapeName + "), got " + value.getNodeType());
            return;
        }
        JsonNode members = shape.path("members");
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode member = members.get(name);
            if (member == null) {
                out.add(path + "." + name + ": not a member of " + shapeName);
            } else {
                check(value.get(name), member.path("shape").asText(), path + "." + name, out);
            }
        }
        for (JsonNode required : shape.path("required")) {
            if (!value.has(required.asText())) {
                out.add(path + "." + required.asText() + ": required by " + shapeName + " but absent");
            }
        }
    }

    private void string(JsonNode value, JsonNode shape, String shapeName, String path, List<String> out) {
        if (!value.isTextual()) {
            out.add(path + ": expected a string (" + shapeName + "), got " + value.getNodeType());
            return;
        }
        String s = value.asText();
        range(s.codePointCount(0, s.length()), shape, path, "length", out);
        if (shape.has("enum")) {
            boolean known = false;
            for (JsonNode e : shape.get("enum")) {
                known |= e.asText().equals(s);
            }
            if (!known) {
                out.add(path + ": \"" + s + "\" is not one of " + shape.get("enum") + " (" + shapeName + ")");
            }
        }
        if (shape.has("pattern")) {
            String regex = shape.get("pattern").asText();
            // Rekognition validates the whole value, so the pattern must match all of it.
            if (!patterns.computeIfAbsent(regex, Pattern::compile).matcher(s).matches()) {
                out.add(path + ": \"" + s + "\" does not match " + regex + " (" + shapeName + ")");
            }
        }
    }

    private static void range(long n, JsonNode shape, String path, String what, List<String> out) {
        if (shape.has("min") && n < shape.get("min").asLong() || shape.has("max") && n > shape.get("max").asLong()) {
            out.add(path + ": " + what + " " + n + " outside " + bounds(shape));
        }
    }

    private static String bounds(JsonNode shape) {
        return "[" + shape.path("min").asText("-") + ", " + shape.path("max").asText("-") + "]";
    }
}
