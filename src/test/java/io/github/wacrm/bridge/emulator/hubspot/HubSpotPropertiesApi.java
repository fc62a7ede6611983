package io.github.wacrm.bridge.emulator.hubspot;

import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.error;
import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.failure;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;

/**
 * The properties resource, {@code /crm/v3/properties/{type}...} and {@code /crm/properties/{version}/{type}...}: list
 * ({@code GET}), read ({@code GET /{name}}), create ({@code POST}, with {@code hasUniqueValue}), and property groups
 * ({@code GET|POST /groups}); a property in HubSpot's shape.
 */
final class HubSpotPropertiesApi {

    private final HubSpotPortal portal;

    HubSpotPropertiesApi(HubSpotPortal portal) {
        this.portal = portal;
    }

    HubSpotAnswer answer(String method, String rawType, String rest, byte[] request) throws IOException {
        String type = HubSpotPortal.canonicalType(rawType);
        if (type == null) {
            return HubSpotAnswer.unknownType(rawType);
        }
        rest = rest == null ? "" : rest;
        Map<String, Object> body = HubSpotAnswer.body(request);
        if (rest.isEmpty() && "GET".equals(method)) {
            return new HubSpotAnswer(200, Map.of("results", portal.properties(type).stream().map(this::property)
                    .toList()));
        }
        if (rest.isEmpty() && "POST".equals(method)) {
            HubSpotPortal.Property property = new HubSpotPortal.Property((String) body.get("name"),
                    (String) body.get("label"), (String) body.get("type"), (String) body.get("fieldType"),
                    (String) body.get("groupName"), Boolean.TRUE.equals(body.get("hasUniqueValue")), true, List.of());
            Failure failure = portal.createProperty(type, property);
            return failure != null ? failure(failure) : new HubSpotAnswer(201, property(property));
        }
        if (rest.equals("/groups") && "POST".equals(method)) {
            Failure failure = portal.createGroup(type, (String) body.get("name"));
            return failure != null ? failure(failure) : new HubSpotAnswer(201, Map.of("name", body.get("name"), "label",
                    body.getOrDefault("label", ""), "displayOrder", body.getOrDefault("displayOrder", -1),
                    "archived", false));
        }
        if (rest.equals("/groups") && "GET".equals(method)) {
            return new HubSpotAnswer(200, Map.of("results", portal.groups(type).stream().map(g -> Map.of("name", g))
                    .toList()));
        }
        if (rest.matches("^/[a-z0-9_]+$") && "GET".equals(method)) {
            HubSpotPortal.Property property = portal.property(type, rest.substring(1));
            return property == null ? new HubSpotAnswer(404, error("OBJECT_NOT_FOUND", "Unable to find property "
                    + rest.substring(1), Map.of())) : new HubSpotAnswer(200, property(property));
        }
        return new HubSpotAnswer(405, error("VALIDATION_ERROR", method + " " + rest + " is not supported", Map.of()));
    }

    private Map<String, Object> property(HubSpotPortal.Property p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", p.name());
        body.put("label", p.label());
        body.put("type", p.type());
        body.put("fieldType", p.fieldType());
        body.put("groupName", p.groupName());
        body.put("hasUniqueValue", p.unique());
        body.put("hubspotDefined", !p.custom());
        body.put("options", p.options().stream().map(o -> Map.of("label", o, "value", o)).toList());
        return body;
    }
}
