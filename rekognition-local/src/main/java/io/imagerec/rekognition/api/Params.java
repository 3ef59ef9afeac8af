package io.imagerec.rekognition.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads and validates request parameters, answering InvalidParameterException as Rekognition does. */
public final class Params {

    private Params() {
    }

    public static Integer optionalInt(JsonNode request, String name, int min, int max) {
        JsonNode node = request.get(name);
        if (node == null || node.isNull()) {
            return null;
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
        if (!node.isNumber() || node.floatValue() < min || node.floatValue() > max) {
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
            throw RekognitionException.invalidParameter(name + " must be a list");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || (!allowed.isEmpty() && !allowed.contains(item.asText()))) {
                throw RekognitionException.invalidParameter(name + " has an invalid value " + item
                        + (allowed.isEmpty() ? "" : "; allowed: " + allowed));
            }
            values.add(item.asText());
        }
        return values;
    }
}
