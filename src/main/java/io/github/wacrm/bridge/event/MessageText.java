package io.github.wacrm.bridge.event;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text an agent reads for a message of any type: the text itself, a media caption, a location, the chosen button
 * or list row, the contact cards, an order summary, a system notice; {@code [type]} when the type carries no text.
 */
public final class MessageText {

    private MessageText() {
    }

    public static String render(JsonNode payload) {
        String type = payload.path("type").asText("");
        String rendered = switch (type) {
            case "text" -> value(payload, "text");
            case "image", "video", "document", "audio", "sticker" -> payload.hasNonNull("caption")
                    ? value(payload, "caption") : value(payload.path("media"), "filename");
            case "location" -> join(", ", value(payload.path("location"), "name"), value(payload.path("location"), "address"),
                    coordinates(payload.path("location")));
            case "interactive" -> "call_permission_reply".equals(value(payload.path("interactive"), "type"))
                    ? "Call permission: " + value(payload.path("interactive"), "response")
                    : join(" — ", value(payload.path("interactive"), "title"),
                            value(payload.path("interactive"), "description"), value(payload.path("interactive"), "body"));
            case "button" -> value(payload.path("button"), "text");
            case "reaction" -> value(payload.path("reaction"), "emoji");
            case "contacts" -> contacts(payload.path("contacts"));
            case "order" -> join(" — ", value(payload.path("order"), "text"), payload.path("order").path("items").size()
                    + " item(s)");
            case "system" -> value(payload.path("system"), "body");
            default -> null;
        };
        return rendered == null || rendered.isBlank() ? "[" + (type.isEmpty() ? "unknown" : type) + "]" : rendered;
    }

    private static String coordinates(JsonNode location) {
        if (!location.hasNonNull("latitude") || !location.hasNonNull("longitude")) {
            return null;
        }
        return location.path("latitude").asText() + "," + location.path("longitude").asText();
    }

    private static String contacts(JsonNode cards) {
        List<String> names = new ArrayList<>();
        for (JsonNode card : cards) {
            String name = value(card.path("name"), "formatted_name");
            if (name != null) {
                names.add(name);
            }
        }
        return names.isEmpty() ? null : "Contact card: " + String.join(", ", names);
    }

    private static String value(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    private static String join(String separator, String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part);
            }
        }
        return present.isEmpty() ? null : String.join(separator, present);
    }
}
