package io.github.wacrm.bridge.event;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading a canonical event's payload the way every CRM mapper does. */
public final class PayloadValues {

    private PayloadValues() {
    }

    /** The field's value as text; null when it is missing, null, or an object or array. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
