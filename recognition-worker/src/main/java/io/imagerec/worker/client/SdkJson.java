package io.imagerec.worker.client;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;

/**
 * Any AWS SDK model object as the JSON the service sent: field names as the service names them
 * (PascalCase), enums as their wire strings, absent fields left out.
 */
final class SdkJson {

    private SdkJson() {
    }

    static JsonNode toJson(ObjectMapper json, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof SdkPojo pojo) {
            ObjectNode node = json.createObjectNode();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object fieldValue = field.getValueOrDefault(pojo);
                // The SDK answers an absent list with an empty "auto-constructed" one; the service sent nothing.
                if (fieldValue instanceof SdkAutoConstructList<?>) {
                    continue;
                }
                JsonNode child = toJson(json, fieldValue);
                if (child != null) {
                    node.set(field.locationName(), child);
                }
            }
            return node;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = json.createArrayNode();
            list.forEach(item -> array.add(toJson(json, item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = json.createObjectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), toJson(json, v)));
            return node;
        }
        if (value instanceof Boolean b) {
            return json.getNodeFactory().booleanNode(b);
        }
        if (value instanceof Float f) {
            return json.getNodeFactory().numberNode(f);
        }
        if (value instanceof Double d) {
            return json.getNodeFactory().numberNode(d);
        }
        if (value instanceof Integer i) {
            return json.getNodeFactory().numberNode(i);
        }
        if (value instanceof Long l) {
            return json.getNodeFactory().numberNode(l);
        }
        if (value instanceof BigDecimal d) {
            return json.getNodeFactory().numberNode(d);
        }
        return json.getNodeFactory().textNode(value.toString());
    }
}
