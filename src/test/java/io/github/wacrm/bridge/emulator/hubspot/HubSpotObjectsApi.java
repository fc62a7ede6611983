package io.github.wacrm.bridge.emulator.hubspot;

import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.batch;
import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.error;
import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.single;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * The objects resource, {@code /crm/v3/objects/{type}...} and {@code /crm/objects/{version}/{type}...} (contacts,
 * communications, notes, tickets): create ({@code POST}, with inline {@code associations}), read ({@code GET /{id}}),
 * update ({@code PATCH /{id}}), both with {@code ?idProperty=}; archive ({@code DELETE /{id}}, 204); a page of records
 * ({@code GET ?limit&after&properties}, limit at most 100); batch create / read / update / upsert / archive (up to 100
 * inputs); search.
 */
final class HubSpotObjectsApi {

    private final HubSpotPortal portal;

    HubSpotObjectsApi(HubSpotPortal portal) {
        this.portal = portal;
    }

    @SuppressWarnings("unchecked")
    HubSpotAnswer answer(String method, String rawType, String rest, String rawQuery, byte[] request)
            throws IOException {
        Map<String, String> query = query(rawQuery);
        String type = HubSpotPortal.canonicalType(rawType);
        if (type == null) {
            return HubSpotAnswer.unknownType(rawType);
        }
        rest = rest == null ? "" : rest;
        Map<String, Object> body = HubSpotAnswer.body(request);
        List<Map<String, Object>> inputs = (List<Map<String, Object>>) body.getOrDefault("inputs", List.of());
        if (rest.startsWith("/batch/") && inputs.size() > 100) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", "Batch input size " + inputs.size()
                    + " exceeds the limit of 100", Map.of()));
        }
        switch (method + " " + rest) {
            case "POST /batch/upsert":
                return batch(portal.batchUpsert(type, inputs), 200);
            case "POST /batch/create":
                return batch(portal.batchCreate(type, inputs), 201);
            case "POST /batch/update":
                return batch(portal.batchUpdate(type, inputs, (String) body.get("idProperty")), 200);
            case "POST /batch/read": {
                List<String> ids = inputs.stream().map(i -> String.valueOf(i.get("id"))).toList();
                return batch(portal.batchRead(type, ids, (List<String>) body.getOrDefault("properties", List.of()),
                        (String) body.get("idProperty")), 200);
            }
            case "POST /batch/archive":
                inputs.forEach(i -> portal.archive(type, String.valueOf(i.get("id"))));
                return new HubSpotAnswer(204, null);
            case "GET ": {
                int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
                if (limit < 1 || limit > 100) {
                    return new HubSpotAnswer(400, error("VALIDATION_ERROR", "limit must be between 1 and 100, was "
                            + limit, Map.of()));
                }
                return new HubSpotAnswer(200, portal.page(type, limit, query.get("after"), wanted(query)));
            }
            case "POST /search":
                return new HubSpotAnswer(200, portal.search(type, body));
            case "POST ":
                return single(portal.create(type, body), 201);
            default:
                break;
        }
        if (rest.matches("^/[^/]+$")) {
            // the path is decoded already (URI.getPath): decoding it again would make the + of +1650… a space
            String id = rest.substring(1);
            String idProperty = query.get("idProperty");
            if ("GET".equals(method)) {
                Map<String, Object> found = portal.get(type, id, idProperty, wanted(query));
                if (found == null) {
                    return new HubSpotAnswer(404, error("OBJECT_NOT_FOUND", "resource not found", Map.of()));
                }
                if (query.containsKey("associations")) {
                    // ?associations=contacts,tickets: the ids of the records each is associated with
                    Map<String, Object> associations = new LinkedHashMap<>();
                    for (String to : query.get("associations").split(",")) {
                        String target = HubSpotPortal.canonicalType(to.trim());
                        List<String> ids = target == null ? List.of()
                                : portal.associated(type, String.valueOf(found.get("id")), target);
                        if (!ids.isEmpty()) {
                            associations.put(target, Map.of("results", ids.stream().map(i -> Map.of("id", i,
                                    "type", type.replaceAll("s$", "") + "_to_" + target.replaceAll("s$", ""))).toList()));
                        }
                    }
                    found = new LinkedHashMap<>(found);
                    found.put("associations", associations);
                }
                return new HubSpotAnswer(200, found);
            }
            if ("PATCH".equals(method)) {
                return single(portal.update(type, id, idProperty, body), 200);
            }
            if ("DELETE".equals(method)) {
                portal.archive(type, id); // HubSpot answers 204 whether or not the record was there
                return new HubSpotAnswer(204, null);
            }
        }
        return new HubSpotAnswer(405, error("VALIDATION_ERROR", method + " " + rest + " is not supported", Map.of()));
    }

    /** The properties asked for: {@code properties=a,b} or {@code properties=a&properties=b} (as the client sends). */
    private static List<String> wanted(Map<String, String> query) {
        return query.containsKey("properties") ? List.of(query.get("properties").split(",")) : List.of();
    }

    /** The query string's parameters, decoded, a repeated one joined with commas (a pair without a name is left out). */
    static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.merge(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8), (a, b) -> a + "," + b);
                }
            }
        }
        return query;
    }
}
