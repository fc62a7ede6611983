package io.github.wacrm.bridge.normalize;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading Meta's webhook fields: a text value, an array, epoch seconds, a few fields picked in camel case. */
final class MetaFields {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MetaFields() {
    }

    static String text(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        return value.asText();
    }

    static Iterable<JsonNode> array(JsonNode node, String name) {
        JsonNode array = node.path(name);
        return array.isArray() ? array : List.of();
    }

    static String epochSeconds(JsonNode node, String fallback) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        try {
            long seconds = node.isNumber() ? node.asLong() : Long.parseLong(node.asText().trim());
            return Instant.ofEpochSecond(seconds).toString();
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return fallback;
        }
    }

    static ObjectNode pick(JsonNode node, String... names) {
        ObjectNode out = NODES.objectNode();
        for (String name : names) {
            if (node.has(name) && !node.get(name).isNull()) {
                out.set(camel(name), node.get(name).deepCopy());
            }
        }
        return out;
    }

    static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
