package io.github.wacrm.bridge.normalize;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The bound on any text of a fact: a string longer than {@link #MAX_CODE_POINTS} code points (a WhatsApp text is at
 * most 4,096 characters; no CRM field the bridge writes holds more than 32,768) is cut there, never inside a
 * surrogate pair, and the payload's {@code truncated} array names each field that was cut. A signed delivery of any
 * size the intake accepts therefore gives facts that fit the events topic and every CRM field, instead of a record
 * that can never be written. Meta's own {@code value} of a management or unknown field is kept as sent (it fits the
 * topic: it is smaller than the delivery).
 */
public final class TextBound {

    public static final int MAX_CODE_POINTS = 32_768;
    static final String TRUNCATED = "truncated";
    private static final String KEPT_AS_SENT = "value";

    private TextBound() {
    }

    /** Cuts every text of {@code payload} (but Meta's {@code value}) longer than {@code maxCodePoints}. */
    public static void apply(ObjectNode payload, int maxCodePoints) {
        ArrayNode truncated = payload.get(TRUNCATED) instanceof ArrayNode named ? named : payload.arrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = payload.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!KEPT_AS_SENT.equals(field.getKey()) && !TRUNCATED.equals(field.getKey())) {
                walk(field.getValue(), field.getKey(), maxCodePoints, truncated, (cut) -> field.setValue(cut));
            }
        }
        if (!truncated.isEmpty()) {
            payload.set(TRUNCATED, truncated);
        }
    }

    /** {@code text} cut to at most {@code maxCodePoints} code points; the same string when it is shorter. */
    public static String cut(String text, int maxCodePoints) {
        if (text == null || text.length() <= maxCodePoints) {
            return text;
        }
        if (text.codePointCount(0, text.length()) <= maxCodePoints) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, maxCodePoints));
    }

    private static void walk(JsonNode node, String path, int max, ArrayNode truncated,
            java.util.function.Consumer<JsonNode> replace) {
        if (node.isTextual()) {
            String cut = cut(node.asText(), max);
            if (cut != node.asText()) {
                replace.accept(TextNode.valueOf(cut));
                truncated.add(path);
            }
        } else if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                walk(field.getValue(), path + "." + field.getKey(), max, truncated, (cut) -> field.setValue(cut));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                walk(array.get(i), path + "." + i, max, truncated, (cut) -> array.set(index, cut));
            }
        }
    }
}
