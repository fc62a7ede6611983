package io.github.wacrm.bridge.emulator.hubspot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchAnswer;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;

/**
 * The portal's v4 associations between records: the HUBSPOT_DEFINED association types it knows, batch create (kept
 * both ways, each direction with its own type id) and batch read, and the checks tests make of them. Not locked itself:
 * {@link HubSpotPortal} calls it under its one lock.
 */
final class HubSpotAssociations {

    /** HUBSPOT_DEFINED association types the portal knows, "from>to" → type ids. */
    static final Map<String, Set<Integer>> ASSOCIATION_TYPES = Map.of(
            "communications>contacts", Set.of(81), "contacts>communications", Set.of(82),
            "communications>tickets", Set.of(83), "tickets>communications", Set.of(84),
            "notes>contacts", Set.of(202), "contacts>notes", Set.of(201),
            "tickets>contacts", Set.of(16), "contacts>tickets", Set.of(15));

    /** The type id of the other direction of each HUBSPOT_DEFINED association type. */
    static final Map<Integer, Integer> REVERSE = Map.of(81, 82, 82, 81, 83, 84, 84, 83, 202, 201, 201, 202, 16, 15, 15, 16);

    private final HubSpotRecords records;
    /** "fromType|fromId|toType|toId|typeId", one per direction. */
    private final Set<String> associations = new LinkedHashSet<>();

    HubSpotAssociations(HubSpotRecords records) {
        this.records = records;
    }

    void clear() {
        associations.clear();
    }

    @SuppressWarnings("unchecked")
    BatchAnswer associate(String from, String to, List<Map<String, Object>> inputs) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<Failure> errors = new ArrayList<>();
        Set<Integer> known = ASSOCIATION_TYPES.getOrDefault(from + ">" + to, Set.of());
        for (Map<String, Object> input : inputs) {
            String fromId = String.valueOf(((Map<String, Object>) input.get("from")).get("id"));
            String toId = String.valueOf(((Map<String, Object>) input.get("to")).get("id"));
            List<Map<String, Object>> types = (List<Map<String, Object>>) input.getOrDefault("types", List.of());
            if (!records.exists(from, fromId) || !records.exists(to, toId)) {
                errors.add(new Failure(400, "VALIDATION_ERROR", "No " + (records.exists(from, fromId) ? to
                        : from) + " with id " + (records.exists(from, fromId) ? toId : fromId),
                        Map.of("fromObjectId", List.of(fromId), "toObjectId", List.of(toId))));
                continue;
            }
            Integer badType = types.stream().map(t -> ((Number) t.get("associationTypeId")).intValue())
                    .filter(t -> !known.contains(t)).findFirst().orElse(null);
            if (types.isEmpty() || badType != null) {
                errors.add(new Failure(400, "VALIDATION_ERROR", "invalid association type " + badType + " from " + from
                        + " to " + to, Map.of("fromObjectId", List.of(fromId))));
                continue;
            }
            for (Map<String, Object> t : types) {
                int typeId = ((Number) t.get("associationTypeId")).intValue();
                associations.add(from + "|" + fromId + "|" + to + "|" + toId + "|" + typeId);
                // HubSpot keeps every association both ways, each direction with its own type id
                associations.add(to + "|" + toId + "|" + from + "|" + fromId + "|" + REVERSE.get(typeId));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("fromObjectTypeId", HubSpotPortal.TYPE_IDS.get(from));
            result.put("fromObjectId", Long.parseLong(fromId));
            result.put("toObjectTypeId", HubSpotPortal.TYPE_IDS.get(to));
            result.put("toObjectId", Long.parseLong(toId));
            result.put("labels", List.of());
            results.add(result);
        }
        return new BatchAnswer(results, errors);
    }

    List<Map<String, Object>> associationsOf(String from, String to, List<String> ids) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (String id : ids) {
            List<Map<String, Object>> targets = new ArrayList<>();
            for (String a : associations) {
                String[] p = a.split("\\|");
                if (p[0].equals(from) && p[1].equals(id) && p[2].equals(to)) {
                    targets.add(Map.of("toObjectId", Long.parseLong(p[3]), "associationTypes", List.of(Map.of(
                            "category", "HUBSPOT_DEFINED", "typeId", Integer.parseInt(p[4])))));
                }
            }
            if (!targets.isEmpty()) {
                results.add(Map.of("from", Map.of("id", id), "to", targets));
            }
        }
        return results;
    }

    // ---- checks for tests ----------------------------------------------------------------------------------------

    /** Every association from a type to another, as "fromId>toId". */
    Set<String> associationPairs(String from, String to) {
        Set<String> pairs = new LinkedHashSet<>();
        for (String a : associations) {
            String[] p = a.split("\\|");
            if (p[0].equals(from) && p[2].equals(to)) {
                pairs.add(p[1] + ">" + p[3]);
            }
        }
        return pairs;
    }

    /** Ids of the records of {@code to} associated from a record (any association type). */
    List<String> associated(String from, String fromId, String to) {
        List<String> ids = new ArrayList<>();
        for (String a : associations) {
            String[] p = a.split("\\|");
            if (p[0].equals(from) && p[1].equals(fromId) && p[2].equals(to) && !ids.contains(p[3])) {
                ids.add(p[3]);
            }
        }
        return ids;
    }

    /** Association type ids between two records. */
    Set<Integer> associationTypes(String from, String fromId, String to, String toId) {
        Set<Integer> types = new LinkedHashSet<>();
        for (String a : associations) {
            String[] p = a.split("\\|");
            if (p[0].equals(from) && p[1].equals(fromId) && p[2].equals(to) && p[3].equals(toId)) {
                types.add(Integer.parseInt(p[4]));
            }
        }
        return types;
    }
}
