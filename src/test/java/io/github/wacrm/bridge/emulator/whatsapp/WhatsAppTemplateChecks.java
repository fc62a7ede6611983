package io.github.wacrm.bridge.emulator.whatsapp;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the Cloud API refuses of a template send's header and buttons, as Meta does: a header or button value the
 * template requires and the send lacks is 131008 (required parameter is missing); a header of another format than the
 * template's, or a button sent as another sub-type or for a button the template does not have, is 132012 (parameter
 * format does not match).
 */
final class WhatsAppTemplateChecks {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{[^}]+\\}\\}");

    private WhatsAppTemplateChecks() {
    }

    /** Meta's answer refusing the send ({status, body}), or null when header and buttons fit the template. */
    static Object[] headerAndButtons(JsonNode templateComponents, JsonNode sentComponents,
            java.util.function.Predicate<String> knownMedia) {
        JsonNode header = null;
        JsonNode buttons = null;
        for (JsonNode component : templateComponents) {
            String type = component.path("type").asText();
            header = type.equals("HEADER") ? component : header;
            buttons = type.equals("BUTTONS") ? component : buttons;
        }
        JsonNode sentHeader = null;
        for (JsonNode component : sentComponents) {
            if (component.path("type").asText().equals("header")) {
                sentHeader = component.path("parameters").path(0);
            }
        }
        String format = header == null ? null : header.path("format").asText("TEXT");
        boolean headerTakes = header != null && (!format.equals("TEXT") || VARIABLE.matcher(header.path("text")
                .asText()).find());
        if (headerTakes && sentHeader == null) {
            return missing("header: a " + format + " parameter is required");
        }
        if (sentHeader != null && (!headerTakes || !sentHeader.path("type").asText().equalsIgnoreCase(format))) {
            return mismatch("header: " + sentHeader.path("type").asText() + " given, the template's header is "
                    + (header == null ? "absent" : format));
        }
        if (sentHeader != null && !format.equals("TEXT") && !format.equals("LOCATION")) {
            JsonNode media = sentHeader.path(format.toLowerCase());
            if (media.path("link").asText().isEmpty() == media.path("id").asText().isEmpty()) {
                return mismatch("header: a " + format.toLowerCase() + " needs a link or an id");
            }
            // an id must name a file uploaded to this business (POST /{phone-number-id}/media)
            if (!media.path("id").asText().isEmpty() && !knownMedia.test(media.path("id").asText())) {
                return new Object[] {400, WhatsAppCloudEmulator.error(131053, "OAuthException",
                        "(#131053) Media upload error", "header: media id " + media.path("id").asText()
                                + " was not uploaded or has expired")};
            }
        }
        JsonNode list = buttons == null ? null : buttons.path("buttons");
        for (int i = 0; list != null && i < list.size(); i++) {
            String type = list.get(i).path("type").asText();
            boolean takes = type.equals("COPY_CODE") || type.equals("OTP")
                    || (type.equals("URL") && VARIABLE.matcher(list.get(i).path("url").asText()).find());
            if (takes && sentButton(sentComponents, i) == null) {
                return missing("button " + i + " (" + type + "): a parameter is required");
            }
        }
        for (JsonNode component : sentComponents) {
            if (!component.path("type").asText().equals("button")) {
                continue;
            }
            int index = component.path("index").asInt(-1);
            String type = list == null || index < 0 || index >= list.size() ? null : list.get(index).path("type").asText();
            String subType = component.path("sub_type").asText();
            boolean fits = type != null && (subType.equals("url") && (type.equals("URL") || type.equals("OTP"))
                    || subType.equals("quick_reply") && type.equals("QUICK_REPLY")
                    || subType.equals("copy_code") && type.equals("COPY_CODE"));
            if (!fits) {
                return mismatch("button " + component.path("index").asText() + ": sub_type " + subType + " does not "
                        + "match the template's " + (type == null ? "buttons" : type + " button"));
            }
        }
        return null;
    }

    private static JsonNode sentButton(JsonNode sentComponents, int index) {
        for (JsonNode component : sentComponents) {
            if (component.path("type").asText().equals("button") && component.path("index").asInt(-1) == index) {
                return component;
            }
        }
        return null;
    }

    private static Object[] missing(String details) {
        return new Object[] {400, WhatsAppCloudEmulator.error(131008, "OAuthException",
                "(#131008) Required parameter is missing", details)};
    }

    private static Object[] mismatch(String details) {
        return new Object[] {400, WhatsAppCloudEmulator.error(132012, "OAuthException",
                "(#132012) Parameter format does not match format in the created template", details)};
    }
}
