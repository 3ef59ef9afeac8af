package io.imagerec.rekognition.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and validates request parameters: a member of the wrong JSON type is a SerializationException,
 * as AWS's JSON protocol answers it before the operation runs; a value out of range is an
 * InvalidParameterException, as Rekognition answers it.
 */
public final class Params {

    private Params() {
    }

    public static Integer optionalInt(JsonNode request, String name, int min, int max) {
        JsonNode node = request.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw RekognitionException.serialization(name + " must be a number, not " + node.getNodeType());
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min || node.asInt() > max) {
            throw RekognitionException.invalidParameter(name + " must be an integer from " + min + " to " + max);
        }
        return node.asInt();
    }

    public static Float optionalFloat(JsonNode request, String name, float min, float max) {
        JsonNode node = request.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw RekognitionException.serialization(name + " must be a number, not " + node.getNodeType());
        }
        if (!(node.floatValue() >= min && node.floatValue() <= max)) {
            throw RekognitionException.invalidParameter(name + " must be a number from " + min + " to " + max);
        }
        return node.floatValue();
    }

    /** A list of strings, each one of {@code allowed} when that is not empty. */
    public static List<String> stringList(JsonNode node, String name, Set<String> allowed) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw RekognitionException.serialization(name + " must be a list, not " + node.getNodeType());
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw RekognitionException.serialization(name + " must hold strings, not " + item.getNodeType());
            }
            if (!allowed.isEmpty() && !allowed.contains(item.asText())) {
                throw RekognitionException.invalidParameter(name + " has an invalid value " + item
                        + "; allowed: " + allowed);
            }
            values.add(item.asText());
        }
        return values;
    }

    /** An optional string member; null when absent or JSON null. */
    public static String optionalString(JsonNode request, String name) {
        JsonNode node = request.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw RekognitionException.serialization(name + " must be a string, not " + node.getNodeType());
        }
        return node.asText();
    }

    /** A required string member: absent is an InvalidParameterException, another JSON type a SerializationException. */
    public static String requiredString(JsonNode request, String name) {
        String value = optionalString(request, name);
        if (value == null) {
            throw RekognitionException.invalidParameter(name + " is required");
        }
        return value;
    }
}
