package io.github.wacrm.bridge.emulator.hubspot;

import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.error;
import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.failure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPropertyDetails.Group;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPropertyDetails.Option;

/**
 * The properties resource, {@code /crm/v3/properties/{type}...} and {@code /crm/properties/{version}/{type}...}: list
 * ({@code GET}), read ({@code GET /{name}}), create ({@code POST}, with {@code hasUniqueValue}, options, description),
 * archive ({@code DELETE /{name}}, 204), and property groups ({@code GET|POST /groups}, {@code GET /groups/{name}});
 * a property and a group in HubSpot's shape (every field the client's models require).
 */
final class HubSpotPropertiesApi {

    private final HubSpotPortal portal;

    HubSpotPropertiesApi(HubSpotPortal portal) {
        this.portal = portal;
    }

    @SuppressWarnings("unchecked")
    HubSpotAnswer answer(String method, String rawType, String rest, byte[] request) throws IOException {
        String type = HubSpotPortal.canonicalType(rawType);
        if (type == null) {
            return HubSpotAnswer.unknownType(rawType);
        }
        rest = rest == null ? "" : rest;
        Map<String, Object> body = HubSpotAnswer.body(request);
        if (rest.isEmpty() && "GET".equals(method)) {
            return new HubSpotAnswer(200, Map.of("results", portal.properties(type).stream()
                    .map(p -> property(type, p)).toList()));
        }
        if (rest.isEmpty() && "POST".equals(method)) {
            List<Map<String, Object>> options = (List<Map<String, Object>>) body.getOrDefault("options", List.of());
            HubSpotPortal.Property property = new HubSpotPortal.Property((String) body.get("name"),
                    (String) body.get("label"), (String) body.get("type"), (String) body.get("fieldType"),
                    (String) body.get("groupName"), Boolean.TRUE.equals(body.get("hasUniqueValue")), true,
                    options.stream().map(o -> String.valueOf(o.get("value"))).toList());
            List<Option> details = new ArrayList<>();
            for (int i = 0; i < options.size(); i++) {
                Map<String, Object> o = options.get(i);
                details.add(new Option(String.valueOf(o.getOrDefault("label", o.get("value"))), String.valueOf(o.get(
                        "value")), (String) o.get("description"), ((Number) o.getOrDefault("displayOrder", i)).intValue(),
                        Boolean.TRUE.equals(o.get("hidden"))));
            }
            Failure failure = portal.createProperty(type, property, new HubSpotPropertyDetails(String.valueOf(body
                    .getOrDefault("description", "")), ((Number) body.getOrDefault("displayOrder", -1)).intValue(),
                    null, null, details));
            return failure != null ? failure(failure) : new HubSpotAnswer(201, property(type, property));
        }
        if (rest.equals("/groups") && "POST".equals(method)) {
            Failure failure = portal.createGroup(type, (String) body.get("name"), (String) body.get("label"),
                    ((Number) body.getOrDefault("displayOrder", -1)).intValue());
            return failure != null ? failure(failure) : new HubSpotAnswer(201, group(new Group((String) body.get("name"),
                    (String) body.get("label"), ((Number) body.getOrDefault("displayOrder", -1)).intValue())));
        }
        if (rest.equals("/groups") && "GET".equals(method)) {
            return new HubSpotAnswer(200, Map.of("results", portal.groupDefinitions(type).stream()
                    .map(HubSpotPropertiesApi::group).toList()));
        }
        if (rest.matches("^/groups/[a-z0-9_]+$") && "GET".equals(method)) {
            String name = rest.substring("/groups/".length());
            return portal.groupDefinitions(type).stream().filter(g -> g.name().equals(name)).findFirst()
                    .map(g -> new HubSpotAnswer(200, group(g))).orElse(new HubSpotAnswer(404, error("OBJECT_NOT_FOUND",
                            "Unable to find property group " + name, Map.of())));
        }
        if (rest.matches("^/[a-z0-9_]+$") && "GET".equals(method)) {
            HubSpotPortal.Property property = portal.property(type, rest.substring(1));
            return property == null ? new HubSpotAnswer(404, error("OBJECT_NOT_FOUND", "Unable to find property "
                    + rest.substring(1), Map.of())) : new HubSpotAnswer(200, property(type, property));
        }
        if (rest.matches("^/[a-z0-9_]+$") && "DELETE".equals(method)) {
            Failure failure = portal.archiveProperty(type, rest.substring(1));
            return failure != null ? failure(failure) : new HubSpotAnswer(204, null);
        }
        return new HubSpotAnswer(405, error("VALIDATION_ERROR", method + " " + rest + " is not supported", Map.of()));
    }

    private static Map<String, Object> group(Group g) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", g.name());
        body.put("label", g.label());
        body.put("displayOrder", g.displayOrder());
        body.put("archived", false);
        return body;
    }

    private Map<String, Object> property(String type, HubSpotPortal.Property p) {
        HubSpotPropertyDetails d = portal.propertyDetails(type, p.name());
        boolean readOnly = !p.custom() && (p.name().equals("hs_object_id") || p.name().endsWith("createdate")
                || p.name().endsWith("lastmodifieddate"));
        Map<String, Object> body = new LinkedHashMap<>();
        if (d.updatedAt() != null) {
            body.put("updatedAt", d.updatedAt().toString());
            body.put("createdAt", d.createdAt().toString());
        }
        body.put("name", p.name());
        body.put("label", p.label());
        body.put("type", p.type());
        body.put("fieldType", p.fieldType());
        body.put("description", d.description());
        body.put("groupName", p.groupName());
        body.put("options", d.options().stream().map(o -> {
            Map<String, Object> option = new LinkedHashMap<>();
            option.put("label", o.label());
            option.put("value", o.value());
            if (o.description() != null) {
                option.put("description", o.description());
            }
            option.put("displayOrder", o.displayOrder());
            option.put("hidden", o.hidden());
            return option;
        }).toList());
        body.put("displayOrder", d.displayOrder());
        body.put("calculated", false);
        body.put("externalOptions", false);
        body.put("hasUniqueValue", p.unique());
        body.put("hidden", false);
        body.put("hubspotDefined", !p.custom());
        body.put("modificationMetadata", Map.of("archivable", p.custom(), "readOnlyDefinition", !p.custom(),
                "readOnlyValue", readOnly));
        body.put("formField", p.custom() || type.equals("contacts") && !readOnly);
        body.put("archived", false);
        return body;
    }
}
