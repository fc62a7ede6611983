package io.github.wacrm.bridge.emulator.hubspot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * HubSpot's custom workflow action definitions API ({@code /automation/v4/actions/{appId}}, legacy apps): the app's
 * developer API key in {@code hapikey} (not the portal's token), {@code GET} paged with {@code limit} and
 * {@code after}, {@code POST} to create, {@code PATCH /{definitionId}} to update. A definition is refused (400
 * VALIDATION_ERROR) without an https {@code actionUrl}, object types, labels with an {@code actionName}, or with a
 * field lacking its name or type, or an input field its value types. Created is 201, as the vendor's client expects.
 */
public final class HubSpotActionDefinitions {

    /** The dev app's id ({@code HUBSPOT_APP_ID}) and developer API key ({@code HUBSPOT_DEVELOPER_API_KEY}). */
    public static final String DEV_APP_ID = "4242";
    public static final String DEV_DEVELOPER_KEY = "dev-hubspot-developer-key";

    private final Map<String, ObjectNode> definitions = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(90000);

    HubSpotAnswer answer(String method, java.util.regex.Matcher path, String rawQuery, byte[] request) {
        Map<String, String> query = HubSpotObjectsApi.query(rawQuery);
        try {
            return answer(method, path.group(1), path.group(2), query.get("hapikey"),
                    Integer.parseInt(query.getOrDefault("limit", "10")), query.get("after"), request);
        } catch (java.io.IOException | RuntimeException bad) {
            return new HubSpotAnswer(400, HubSpotAnswer.error("VALIDATION_ERROR", "Invalid input JSON: "
                    + bad.getMessage(), Map.of()));
        }
    }

    private synchronized HubSpotAnswer answer(String method, String appId, String definitionId, String hapikey,
            int limit, String after, byte[] request) throws java.io.IOException {
        if (!DEV_DEVELOPER_KEY.equals(hapikey)) {
            return new HubSpotAnswer(401, HubSpotAnswer.error("INVALID_AUTHENTICATION", "The API key provided is "
                    + "invalid. View or manage your API key here: https://app.hubspot.com/l/api-key/", Map.of()));
        }
        if (!DEV_APP_ID.equals(appId)) {
            return new HubSpotAnswer(404, HubSpotAnswer.error("OBJECT_NOT_FOUND", "App " + appId + " not found",
                    Map.of()));
        }
        if (method.equals("GET") && definitionId == null) {
            return page(limit, after);
        }
        if (method.equals("POST") && definitionId == null) {
            ObjectNode definition = (ObjectNode) HubSpotEmulator.JSON.readTree(request);
            String invalid = invalid(definition);
            if (invalid != null) {
                return new HubSpotAnswer(400, HubSpotAnswer.error("VALIDATION_ERROR", invalid, Map.of()));
            }
            String id = Long.toString(ids.incrementAndGet());
            definition.put("id", id).put("revisionId", "1");
            definitions.put(id, definition);
            return new HubSpotAnswer(201, definition);
        }
        ObjectNode existing = definitionId == null ? null : definitions.get(definitionId);
        if (existing == null) {
            return new HubSpotAnswer(404, HubSpotAnswer.error("OBJECT_NOT_FOUND", "No definition " + definitionId,
                    Map.of()));
        }
        if (method.equals("GET")) {
            return new HubSpotAnswer(200, existing);
        }
        if (method.equals("PATCH")) {
            ObjectNode updated = existing.deepCopy();
            updated.setAll((ObjectNode) HubSpotEmulator.JSON.readTree(request));
            String invalid = invalid(updated);
            if (invalid != null) {
                return new HubSpotAnswer(400, HubSpotAnswer.error("VALIDATION_ERROR", invalid, Map.of()));
            }
            updated.put("id", definitionId).put("revisionId",
                    Integer.toString(existing.path("revisionId").asInt() + 1));
            definitions.put(definitionId, updated);
            return new HubSpotAnswer(200, updated);
        }
        return new HubSpotAnswer(405, HubSpotAnswer.error("METHOD_NOT_ALLOWED", method + " not allowed", Map.of()));
    }

    /** The definitions of the dev app, as HubSpot keeps them. */
    public synchronized List<JsonNode> all() {
        return List.copyOf(definitions.values());
    }

    /** Another definition of the same app (another action than the bridge's). */
    public synchronized void add(ObjectNode definition) {
        String id = Long.toString(ids.incrementAndGet());
        definitions.put(id, definition.put("id", id).put("revisionId", "1"));
    }

    private HubSpotAnswer page(int limit, String after) {
        List<ObjectNode> all = new ArrayList<>(definitions.values());
        int from = after == null ? 0 : Integer.parseInt(after);
        int to = Math.min(all.size(), from + Math.max(1, limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", all.subList(Math.min(from, all.size()), to));
        if (to < all.size()) {
            body.put("paging", Map.of("next", Map.of("after", Integer.toString(to))));
        }
        return new HubSpotAnswer(200, body);
    }

    private static String invalid(JsonNode definition) {
        if (!definition.path("actionUrl").asText("").startsWith("https://")) {
            return "actionUrl must be an https URL";
        }
        if (!definition.path("objectTypes").isArray() || definition.path("objectTypes").isEmpty()) {
            return "objectTypes must name at least one object type";
        }
        if (definition.path("labels").path("en").path("actionName").asText("").isBlank()) {
            return "labels.en.actionName is required";
        }
        for (String list : List.of("inputFields", "outputFields")) {
            for (JsonNode field : definition.path(list)) {
                JsonNode type = field.path("typeDefinition");
                if (type.path("name").asText("").isBlank() || type.path("type").asText("").isBlank()) {
                    return list + ": every field needs typeDefinition.name and typeDefinition.type";
                }
                // an input's value types are its own; an output has none (the client's model has no such field)
                if (list.equals("inputFields") && !field.path("supportedValueTypes").isArray()) {
                    return "inputFields: every field needs supportedValueTypes";
                }
            }
        }
        return null;
    }
}
