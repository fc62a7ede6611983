package io.github.wacrm.bridge.outbound;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The header and button parameters of a template, against a request's ({@code template.header},
 * {@code template.buttons}), checked before anything goes to Meta and made into the send's components. The header:
 * {@code {"text": …}} for a TEXT header with a variable; {@code {"image"|"video"|"document": {"link": "https://…"} or
 * {"id": "<media id>"}}} (a document may name its {@code filename}) for a media header of that format;
 * {@code {"location": {"latitude", "longitude", "name", "address"}}}. The buttons: an object by button index, the
 * value of each button that takes one — the URL's suffix ({@code {{1}}} in a URL button), the coupon code (COPY_CODE),
 * the one-time password (OTP), or a quick reply's payload (optional). Anything the template does not take is refused.
 */
public final class TemplateHeaderAndButtons {

    private static final Pattern MEDIA_ID = Pattern.compile("[0-9]{1,30}");
    private static final List<String> MEDIA = List.of("image", "video", "document");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TemplateHeaderAndButtons() {
    }

    /** The reason the header or buttons do not fit the template, or null when they do. */
    public static String mismatch(String componentsJson, String parameterFormat, JsonNode header, JsonNode buttons) {
        JsonNode components = TemplateParameters.read(componentsJson);
        String headerReason = headerMismatch(component(components, "HEADER"), has(header) ? header : null);
        return headerReason != null ? headerReason : buttonsMismatch(component(components, "BUTTONS"),
                has(buttons) ? buttons : null);
    }

    /** Adds the header's component first and the buttons' components last (the request fits: see {@link #mismatch}). */
    public static void addTo(ArrayNode sent, String componentsJson, String parameterFormat, JsonNode header,
            JsonNode buttons) {
        JsonNode components = TemplateParameters.read(componentsJson);
        JsonNode templateHeader = component(components, "HEADER");
        if (has(header) && templateHeader != null) {
            ObjectNode component = NODES.objectNode().put("type", "header");
            ObjectNode parameter = component.putArray("parameters").addObject();
            String format = templateHeader.path("format").asText("TEXT").toLowerCase();
            if (format.equals("text")) {
                parameter.put("type", "text").put("text", header.path("text").asText());
                String variable = variables(templateHeader.path("text").asText("")).get(0);
                if ("NAMED".equalsIgnoreCase(parameterFormat)) {
                    parameter.put("parameter_name", variable);
                }
            } else {
                parameter.put("type", format).set(format, header.path(format).deepCopy());
            }
            sent.insert(0, component);
        }
        JsonNode templateButtons = component(components, "BUTTONS");
        if (!has(buttons) || templateButtons == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = buttons.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> given = it.next();
            JsonNode button = templateButtons.path("buttons").path(Integer.parseInt(given.getKey()));
            String type = button.path("type").asText("").toUpperCase();
            ObjectNode component = sent.addObject().put("type", "button")
                    .put("index", Integer.toString(Integer.parseInt(given.getKey())));
            ObjectNode parameter = component.putArray("parameters").addObject();
            String value = given.getValue().asText();
            switch (type) {
                case "COPY_CODE" -> {
                    component.put("sub_type", "copy_code");
                    parameter.put("type", "coupon_code").put("coupon_code", value);
                }
                case "QUICK_REPLY" -> {
                    component.put("sub_type", "quick_reply");
                    parameter.put("type", "payload").put("payload", value);
                }
                default -> {
                    // a URL's suffix, or an authentication template's one-time password (sent as the URL button's)
                    component.put("sub_type", "url");
                    parameter.put("type", "text").put("text", value);
                }
            }
        }
    }

    private static String headerMismatch(JsonNode templateHeader, JsonNode header) {
        String format = templateHeader == null ? null : templateHeader.path("format").asText("TEXT").toUpperCase();
        boolean takesText = "TEXT".equals(format) && !variables(templateHeader.path("text").asText("")).isEmpty();
        if (templateHeader == null || ("TEXT".equals(format) && !takesText)) {
            return header == null ? null : "the template's header takes no parameter; give no header";
        }
        String wanted = format.toLowerCase();
        if (header == null || !header.isObject() || header.size() != 1 || !header.has(wanted)) {
            return "the template's header is " + format + ": give header." + wanted
                    + (takesText ? " (its text)" : wanted.equals("location") ? " (latitude, longitude)"
                            : " (a link or a media id)");
        }
        JsonNode value = header.path(wanted);
        if (takesText) {
            return value.isTextual() && !value.asText().isBlank() && value.asText().length() <= 60 ? null
                    : "header.text must have 1 to 60 characters";
        }
        if (wanted.equals("location")) {
            return value.path("latitude").isNumber() && value.path("longitude").isNumber() ? null
                    : "header.location needs a numeric latitude and longitude";
        }
        if (!MEDIA.contains(wanted)) {
            return "the template's header is " + format + ", which the bridge cannot fill";
        }
        boolean link = value.path("link").asText("").startsWith("https://");
        boolean id = MEDIA_ID.matcher(value.path("id").asText("")).matches();
        if (link == id) {
            return "header." + wanted + " needs either an https link or a media id";
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("link") && !name.equals("id") && !(wanted.equals("document") && name.equals("filename"))) {
                return "header." + wanted + " takes link or id" + (wanted.equals("document") ? " and filename" : "")
                        + ", not " + name;
            }
        }
        return null;
    }

    private static String buttonsMismatch(JsonNode templateButtons, JsonNode buttons) {
        JsonNode list = templateButtons == null ? NODES.arrayNode() : templateButtons.path("buttons");
        if (buttons != null && !buttons.isObject()) {
            return "buttons are an object by button index ({\"0\": \"…\"})";
        }
        for (int i = 0; i < list.size(); i++) {
            if (needsValue(list.get(i)) && (buttons == null || !buttons.path(Integer.toString(i)).isTextual()
                    || buttons.path(Integer.toString(i)).asText().isBlank())) {
                return "the template's button " + i + " (" + list.get(i).path("type").asText() + ") takes a value: "
                        + "give buttons.\"" + i + "\"";
            }
        }
        if (buttons == null) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = buttons.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> given = it.next();
            int index = given.getKey().matches("[0-9]{1,2}") ? Integer.parseInt(given.getKey()) : -1;
            if (index < 0 || index >= list.size()) {
                return "the template has no button " + given.getKey();
            }
            String type = list.get(index).path("type").asText("").toUpperCase();
            if (!needsValue(list.get(index)) && !type.equals("QUICK_REPLY")) {
                return "the template's button " + index + " (" + type + ") takes no value";
            }
            if (!given.getValue().isTextual() || given.getValue().asText().length() > 2000) {
                return "buttons." + index + " must be a text of at most 2,000 characters";
            }
        }
        return null;
    }

    private static boolean needsValue(JsonNode button) {
        String type = button.path("type").asText("").toUpperCase();
        return type.equals("COPY_CODE") || type.equals("OTP")
                || (type.equals("URL") && !variables(button.path("url").asText("")).isEmpty());
    }

    private static boolean has(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static JsonNode component(JsonNode components, String type) {
        for (JsonNode component : components) {
            if (component.path("type").asText("").equalsIgnoreCase(type)) {
                return component;
            }
        }
        return null;
    }

    private static List<String> variables(String text) {
        return List.copyOf(TemplateParameters.variables(text));
    }

}
