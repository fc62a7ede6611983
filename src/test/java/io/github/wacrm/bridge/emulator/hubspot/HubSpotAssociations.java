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
 * The portal's v4 associations between records: the HUBSPOT_DEFINED association types it knows (HubSpot's association
 * type id table: communication→contact 81, contact→communication 82, communication→ticket 83, ticket→communication 84,
 * note→contact 202, contact→note 201, ticket→contact 16, contact→ticket 15) and their labels, batch create (kept both
 * ways, each direction with its own type id), associations given inline on create, batch read (an input with none is
 * a NO_ASSOCIATIONS_FOUND error, as HubSpot answers), and the checks tests make of them. Not locked itself: {@link
 * HubSpotPortal} calls it under its one lock.
 */
final class HubSpotAssociations {

    /** HUBSPOT_DEFINED association types the portal knows, "from>to" → type ids. */
    static final Map<String, Set<Integer>> ASSOCIATION_TYPES = Map.of(
            "communications>contacts", Set.of(81), "contacts>communications", Set.of(82),
            "communications>tickets", Set.of(83), "tickets>communications", Set.of(84),
            "notes>contacts", Set.of(202), "contacts>notes", Set.of(201),
            "tickets>contacts", Set.of(16), "contacts>tickets", Set.of(15),
            "calls>contacts", Set.of(194), "contacts>calls", Set.of(193));

    /** The type id of the other direction of each HUBSPOT_DEFINED association type. */
    static final Map<Integer, Integer> REVERSE = Map.of(81, 82, 82, 81, 83, 84, 84, 83, 202, 201, 201, 202, 16, 15, 15, 16,
            194, 193, 193, 194);

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

    /** The HUBSPOT_DEFINED association types from one type to another, as the labels endpoint lists them. */
    static List<Map<String, Object>> labels(String from, String to) {
        List<Map<String, Object>> labels = new ArrayList<>();
        for (int typeId : ASSOCIATION_TYPES.getOrDefault(from + ">" + to, Set.of())) {
            Map<String, Object> label = new LinkedHashMap<>();
            label.put("category", "HUBSPOT_DEFINED");
            label.put("typeId", typeId);
            label.put("label", null); // the unlabeled type: HubSpot answers label null
            labels.add(label);
        }
        return labels;
    }

    /** The type an association type id leads to from {@code from} (inline associations name no target type). */
    private static String target(String from, int typeId) {
        return ASSOCIATION_TYPES.entrySet().stream().filter(e -> e.getKey().startsWith(from + ">")
                && e.getValue().contains(typeId)).map(e -> e.getKey().substring(from.length() + 1)).findFirst()
                .orElse(null);
    }

    /** Why HubSpot refuses the associations given inline on create (unknown type id, no such record), or null. */
    @SuppressWarnings("unchecked")
    Failure refusedInline(String from, List<Map<String, Object>> inline) {
        for (Map<String, Object> association : inline) {
            String toId = String.valueOf(((Map<String, Object>) association.getOrDefault("to", Map.of())).get("id"));
            for (Map<String, Object> t : (List<Map<String, Object>>) association.getOrDefault("types", List.of())) {
                int typeId = ((Number) t.get("associationTypeId")).intValue();
                String to = target(from, typeId);
                if (to == null || !records.exists(to, toId)) {
                    return new Failure(400, "VALIDATION_ERROR", to == null ? "association type id " + typeId
                            + " does not exist from " + from : "No " + to + " with id " + toId + " to associate with",
                            Map.of("toObjectId", List.of(toId)));
                }
            }
        }
        return null;
    }

    /** Stores the associations given inline on create of record {@code fromId} (checked by refusedInline). */
    @SuppressWarnings("unchecked")
    void associateInline(String from, String fromId, List<Map<String, Object>> inline) {
        for (Map<String, Object> association : inline) {
            String toId = String.valueOf(((Map<String, Object>) association.get("to")).get("id"));
            for (Map<String, Object> t : (List<Map<String, Object>>) association.getOrDefault("types", List.of())) {
                int typeId = ((Number) t.get("associationTypeId")).intValue();
                String to = target(from, typeId);
                associations.add(from + "|" + fromId + "|" + to + "|" + toId + "|" + typeId);
                associations.add(to + "|" + toId + "|" + from + "|" + fromId + "|" + REVERSE.get(typeId));
            }
        }
    }

    /** Batch read: one result per input with associations, a NO_ASSOCIATIONS_FOUND error per input without. */
    BatchAnswer read(String from, String to, List<String> ids) {
        List<Map<String, Object>> results = associationsOf(from, to, ids);
        List<Failure> errors = new ArrayList<>();
        String fromName = from.replaceAll("s$", "");
        String toName = to.replaceAll("s$", "");
        for (String id : ids) {
            if (results.stream().noneMatch(r -> ((Map<?, ?>) r.get("from")).get("id").equals(id))) {
                errors.add(new Failure(404, "OBJECT_NOT_FOUND", "No " + toName + " is associated with " + fromName + " "
                        + id + ".", Map.of("fromObjectId", List.of(id), "fromObjectType", List.of(fromName),
                                "toObjectType", List.of(toName)), "crm.associations.NO_ASSOCIATIONS_FOUND"));
            }
        }
        return new BatchAnswer(results, errors);
    }

    /** An archived record's associations go with it. */
    void forget(String type, String id) {
        associations.removeIf(a -> a.startsWith(type + "|" + id + "|") || a.contains("|" + type + "|" + id + "|"));
    }

    List<Map<String, Object>> associationsOf(String from, String to, List<String> ids) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (String id : ids) {
            List<Map<String, Object>> targets = new ArrayList<>();
            for (String a : associations) {
                String[] p = a.split("\\|");
                if (p[0].equals(from) && p[1].equals(id) && p[2].equals(to)) {
                    Map<String, Object> type = new LinkedHashMap<>();
                    type.put("category", "HUBSPOT_DEFINED");
                    type.put("typeId", Integer.parseInt(p[4]));
                    type.put("label", null);
                    targets.add(Map.of("toObjectId", Long.parseLong(p[3]), "associationTypes", List.of(type)));
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
