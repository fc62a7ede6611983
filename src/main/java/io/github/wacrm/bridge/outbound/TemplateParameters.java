package io.github.wacrm.bridge.outbound;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A template's parameters against a request's: the body's variables as Meta lists the template ({@code {{1}}} …
 * for POSITIONAL, {@code {{first_name}}} … for NAMED), matched exactly — the count for positional templates, the names
 * for named ones — and the {@code components} of the send built from them. The header and the buttons are
 * {@link TemplateHeaderAndButtons}'.
 */
public final class TemplateParameters {

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*\\}\\}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The reason the parameters do not fit, or null when they do. */
    public static String mismatch(String componentsJson, String parameterFormat, JsonNode given) {
        JsonNode components = read(componentsJson);
        List<String> wanted = List.copyOf(variables(body(components)));
        boolean named = "NAMED".equalsIgnoreCase(parameterFormat);
        if (given == null || given.isNull() || given.isMissingNode()) {
            return wanted.isEmpty() ? null : "the template takes " + describe(wanted, named) + "; none were given";
        }
        if (named) {
            if (!given.isObject()) {
                return "the template takes named parameters " + wanted + ": give them as an object";
            }
            Set<String> names = new LinkedHashSet<>();
            given.fieldNames().forEachRemaining(names::add);
            return names.equals(new LinkedHashSet<>(wanted)) ? null
                    : "the template takes the parameters " + wanted + "; given " + names;
        }
        if (!given.isArray()) {
            return "the template takes " + wanted.size() + " positional parameter(s): give them as an array";
        }
        return given.size() == wanted.size() ? null
                : "the template takes " + wanted.size() + " body parameter(s); given " + given.size();
    }

    /** The {@code components} of the send: the body's parameters in the template's order (empty when none). */
    public static ArrayNode components(String componentsJson, String parameterFormat, JsonNode given) {
        ArrayNode out = NODES.arrayNode();
        List<String> wanted = List.copyOf(variables(body(read(componentsJson))));
        if (wanted.isEmpty()) {
            return out;
        }
        ObjectNode body = out.addObject().put("type", "body");
        ArrayNode parameters = body.putArray("parameters");
        boolean named = "NAMED".equalsIgnoreCase(parameterFormat);
        for (int i = 0; i < wanted.size(); i++) {
            ObjectNode parameter = parameters.addObject().put("type", "text");
            if (named) {
                parameter.put("parameter_name", wanted.get(i)).put("text", given.path(wanted.get(i)).asText());
            } else {
                parameter.put("text", given.path(i).asText());
            }
        }
        return out;
    }

    /** The body's text as the customer reads it: each variable filled with its parameter. */
    public static String render(String componentsJson, String parameterFormat, JsonNode given) {
        String text = body(read(componentsJson));
        List<String> wanted = List.copyOf(variables(text));
        boolean named = "NAMED".equalsIgnoreCase(parameterFormat);
        for (int i = 0; i < wanted.size(); i++) {
            String value = given == null ? "" : named ? given.path(wanted.get(i)).asText() : given.path(i).asText();
            text = text.replaceAll("\\{\\{\\s*" + Pattern.quote(wanted.get(i)) + "\\s*\\}\\}",
                    Matcher.quoteReplacement(value));
        }
        return text;
    }

    private static String body(JsonNode components) {
        for (JsonNode component : components) {
            if (component.path("type").asText("").equalsIgnoreCase("BODY")) {
                return component.path("text").asText("");
            }
        }
        return "";
    }

    /** The variables of a text, in order, each once ({@code {{1}}} → 1, {@code {{first_name}}} → first_name). */
    static Set<String> variables(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String describe(List<String> wanted, boolean named) {
        return named ? "the parameters " + wanted : wanted.size() + " body parameter(s)";
    }

    /** A template's components as the registry keeps them (an empty list when there are none). */
    static JsonNode read(String componentsJson) {
        try {
            return componentsJson == null ? NODES.arrayNode() : JSON.readTree(componentsJson);
        } catch (java.io.IOException unreadable) {
            return NODES.arrayNode();
        }
    }

    private TemplateParameters() {
    }
}
