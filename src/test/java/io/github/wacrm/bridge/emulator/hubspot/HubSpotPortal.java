package io.github.wacrm.bridge.emulator.hubspot;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The state of an emulated HubSpot portal: properties (built-in and custom, with unique values), property groups,
 * records of contacts, communications, notes and tickets, and v4 associations. Every operation validates as HubSpot
 * does (unknown properties, enumeration values, dates, numbers, required properties on create, unique values) and
 * answers in HubSpot's shapes; {@link HubSpotEmulator} puts them on HTTP. One lock: each call is atomic.
 */
public final class HubSpotPortal {

    /** objectTypeId as HubSpot names them in association answers. */
    static final Map<String, String> TYPE_IDS = Map.of("contacts", "0-1", "tickets", "0-5", "communications", "0-18",
            "notes", "0-46");
    /** HUBSPOT_DEFINED association types the portal knows, "from>to" → type ids. */
    static final Map<String, Set<Integer>> ASSOCIATION_TYPES = Map.of(
            "communications>contacts", Set.of(81), "contacts>communications", Set.of(82),
            "communications>tickets", Set.of(83), "tickets>communications", Set.of(84),
            "notes>contacts", Set.of(202), "contacts>notes", Set.of(201),
            "tickets>contacts", Set.of(16), "contacts>tickets", Set.of(15));

    /** The type id of the other direction of each HUBSPOT_DEFINED association type. */
    static final Map<Integer, Integer> REVERSE = Map.of(81, 82, 82, 81, 83, 84, 84, 83, 202, 201, 201, 202, 16, 15, 15, 16);

    public record Property(String name, String label, String type, String fieldType, String groupName, boolean unique,
            boolean custom, List<String> options) {
    }

    /** One record: HubSpot id and property values (as HubSpot keeps them, strings). */
    public static final class Record {
        final String id;
        final Map<String, String> properties = new LinkedHashMap<>();
        final Instant createdAt = Instant.now();
        Instant updatedAt = createdAt;

        Record(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public Map<String, String> properties() {
            return properties;
        }

        public Instant createdAt() {
            return createdAt;
        }
    }

    /** An error HubSpot reports, for a whole call or one input. */
    public record Failure(int status, String category, String message, Map<String, List<String>> context) {
    }

    /** What a batch call answers: results, and per-input errors (a 207 when there are both). */
    public record BatchAnswer(List<Map<String, Object>> results, List<Failure> errors) {
    }

    private final Map<String, Map<String, Property>> properties = new HashMap<>();
    private final Map<String, Set<String>> groups = new HashMap<>();
    private final Map<String, Map<String, Record>> records = new HashMap<>();
    private final Set<String> associations = new LinkedHashSet<>();
    /** "type|property" → value → record, for unique properties. */
    private final Map<String, Map<String, Record>> uniqueIndex = new HashMap<>();
    private final AtomicLong nextId = new AtomicLong(100_000);
    private final List<Predicate<Map<String, String>>> validationRules = new ArrayList<>();
    /** Inputs of batch upserts still to fail with a passing error (a 207 with INTERNAL_ERROR for them). */
    private final Map<String, Integer> transientInputFailures = new HashMap<>();
    /** How often each "type|unique value" came in a batch upsert input. */
    private final Map<String, Integer> upsertInputs = new HashMap<>();

    public HubSpotPortal() {
        reset();
    }

    /** Back to a new portal: HubSpot's own properties only, no records. */
    public synchronized void reset() {
        properties.clear();
        groups.clear();
        records.clear();
        associations.clear();
        uniqueIndex.clear();
        validationRules.clear();
        transientInputFailures.clear();
        upsertInputs.clear();
        for (String type : TYPE_IDS.keySet()) {
            properties.put(type, new LinkedHashMap<>());
            groups.put(type, new LinkedHashSet<>(List.of(type.equals("contacts") ? "contactinformation" : type
                    .replaceAll("s$", "") + "information")));
            records.put(type, new LinkedHashMap<>());
            builtIn(type, "hs_object_id", "number");
            builtIn(type, "hs_createdate", "datetime");
            builtIn(type, "hs_lastmodifieddate", "datetime");
            builtIn(type, "hubspot_owner_id", "enumeration");
        }
        for (String p : List.of("firstname", "lastname", "email", "phone", "mobilephone", "company")) {
            builtIn("contacts", p, "string");
        }
        builtIn("contacts", "createdate", "datetime");
        builtIn("contacts", "lastmodifieddate", "datetime");
        builtIn("communications", "hs_communication_body", "string");
        builtIn("communications", "hs_timestamp", "datetime");
        properties.get("communications").put("hs_communication_channel_type", new Property("hs_communication_channel_type",
                "Channel type", "enumeration", "select", "communicationinformation", false, false,
                List.of("WHATS_APP", "LINKEDIN_MESSAGE", "SMS")));
        properties.get("communications").put("hs_communication_logged_from", new Property("hs_communication_logged_from",
                "Logged from", "enumeration", "select", "communicationinformation", false, false, List.of("CRM")));
        builtIn("notes", "hs_note_body", "string");
        builtIn("notes", "hs_timestamp", "datetime");
        for (String p : List.of("subject", "content", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_priority")) {
            builtIn("tickets", p, "string");
        }
    }

    private void builtIn(String type, String name, String valueType) {
        properties.get(type).put(name, new Property(name, name, valueType, "text", groups.get(type).iterator().next(),
                false, false, List.of()));
    }

    /** Inputs whose values match are refused with VALIDATION_ERROR (like a portal's validation rule). */
    public synchronized void addValidationRule(Predicate<Map<String, String>> refuse) {
        validationRules.add(refuse);
    }

    public synchronized void clearValidationRules() {
        validationRules.clear();
        transientInputFailures.clear();
    }

    /** The next {@code times} batch upserts of this unique value fail for that input alone, with a passing error. */
    public synchronized void failInputTransiently(String type, String uniqueValue, int times) {
        transientInputFailures.put(type + "|" + uniqueValue, times);
    }

    /** How many batch upsert inputs carried this unique value. */
    public synchronized int upsertInputs(String type, String uniqueValue) {
        return upsertInputs.getOrDefault(type + "|" + uniqueValue, 0);
    }

    public static String canonicalType(String type) {
        return switch (type.toLowerCase()) {
            case "contact", "contacts", "0-1" -> "contacts";
            case "communication", "communications", "0-18" -> "communications";
            case "note", "notes", "0-46" -> "notes";
            case "ticket", "tickets", "0-5" -> "tickets";
            default -> null;
        };
    }

    // ---- properties API ------------------------------------------------------------------------------------------

    public synchronized List<Property> properties(String type) {
        return List.copyOf(properties.get(type).values());
    }

    public synchronized Property property(String type, String name) {
        return properties.get(type).get(name);
    }

    public synchronized Failure createGroup(String type, String name) {
        if (!groups.get(type).add(name)) {
            return new Failure(409, "OBJECT_ALREADY_EXISTS", "A property group named '" + name + "' already exists.", Map.of());
        }
        return null;
    }

    public synchronized Set<String> groups(String type) {
        return Set.copyOf(groups.get(type));
    }

    public synchronized Failure createProperty(String type, Property property) {
        if (property.name() == null || !property.name().matches("[a-z][a-z0-9_]*")) {
            return new Failure(400, "VALIDATION_ERROR", "Property name '" + property.name() + "' is not valid", Map.of());
        }
        if (properties.get(type).containsKey(property.name())) {
            return new Failure(409, "OBJECT_ALREADY_EXISTS", "Property named '" + property.name()
                    + "' already exists.", Map.of("name", List.of(property.name())));
        }
        if (!groups.get(type).contains(property.groupName())) {
            return new Failure(400, "VALIDATION_ERROR", "Property group '" + property.groupName() + "' does not exist.",
                    Map.of());
        }
        if (!Set.of("string", "number", "datetime", "date", "enumeration", "bool").contains(property.type())) {
            return new Failure(400, "VALIDATION_ERROR", "Unknown property type " + property.type(), Map.of());
        }
        properties.get(type).put(property.name(), property);
        return null;
    }

    // ---- records -------------------------------------------------------------------------------------------------

    public synchronized BatchAnswer batchUpsert(String type, List<Map<String, Object>> inputs) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<Failure> errors = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Map<String, Object> input : inputs) {
            String idProperty = (String) input.get("idProperty");
            String value = String.valueOf(input.get("id"));
            Property unique = idProperty == null ? null : properties.get(type).get(idProperty);
            if (unique == null || !unique.unique()) {
                throw new BatchRefused(new Failure(400, "VALIDATION_ERROR", "Property '" + idProperty
                        + "' is not a unique value property and cannot be used as idProperty", Map.of()));
            }
            if (!seen.add(value)) {
                throw new BatchRefused(new Failure(400, "VALIDATION_ERROR", "Duplicate IDs found in batch input: ["
                        + value + "]. IDs must be unique", Map.of("ids", List.of(value))));
            }
        }
        for (Map<String, Object> input : inputs) {
            String idProperty = (String) input.get("idProperty");
            String value = String.valueOf(input.get("id"));
            Map<String, String> values = values(input);
            values.put(idProperty, value);
            Map<String, List<String>> context = Map.of(idProperty, List.of(value));
            upsertInputs.merge(type + "|" + value, 1, Integer::sum);
            Integer failures = transientInputFailures.get(type + "|" + value);
            if (failures != null && failures > 0) {
                transientInputFailures.put(type + "|" + value, failures - 1);
                errors.add(new Failure(500, "INTERNAL_ERROR", "An internal error occurred while writing this record; "
                        + "try again", context));
                continue;
            }
            Failure invalid = validate(type, values, context);
            Record existing = findUnique(type, idProperty, value);
            if (invalid == null && existing == null) {
                invalid = required(type, values, context);
            }
            if (invalid != null) {
                errors.add(invalid);
                continue;
            }
            boolean created = existing == null;
            Record record = created ? newRecord(type) : existing;
            apply(type, record, values);
            Map<String, Object> result = result(type, record, values.keySet());
            result.put("new", created);
            results.add(result);
        }
        return new BatchAnswer(results, errors);
    }

    public synchronized BatchAnswer batchCreate(String type, List<Map<String, Object>> inputs) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (Map<String, Object> input : inputs) {
            Failure invalid = refusedCreate(type, values(input));
            if (invalid != null) {
                throw new BatchRefused(invalid);
            }
        }
        for (Map<String, Object> input : inputs) {
            Map<String, String> values = values(input);
            Record record = newRecord(type);
            apply(type, record, values);
            results.add(result(type, record, values.keySet()));
        }
        return new BatchAnswer(results, List.of());
    }

    public synchronized BatchAnswer batchUpdate(String type, List<Map<String, Object>> inputs, String idProperty) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<Failure> errors = new ArrayList<>();
        for (Map<String, Object> input : inputs) {
            String id = String.valueOf(input.get("id"));
            Record record = byId(type, id, (String) input.getOrDefault("idProperty", idProperty));
            Map<String, String> values = values(input);
            if (record == null) {
                errors.add(new Failure(404, "OBJECT_NOT_FOUND", "Object not found. objectId are usually numeric.",
                        Map.of("ids", List.of(id))));
                continue;
            }
            Failure invalid = refusedUpdate(type, values, record, Map.of("ids", List.of(id)));
            if (invalid != null) {
                errors.add(invalid);
                continue;
            }
            apply(type, record, values);
            results.add(result(type, record, values.keySet()));
        }
        return new BatchAnswer(results, errors);
    }

    public synchronized BatchAnswer batchRead(String type, List<String> ids, List<String> wanted, String idProperty) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Record record = byId(type, id, idProperty);
            if (record == null) {
                missing.add(id);
            } else {
                results.add(result(type, record, wanted));
            }
        }
        List<Failure> errors = missing.isEmpty() ? List.of() : List.of(new Failure(404, "OBJECT_NOT_FOUND",
                "Could not get some " + type + " objects, they may be deleted or not exist. Check that ids are valid.",
                Map.of("ids", missing)));
        return new BatchAnswer(results, errors);
    }

    /** Single create: the record's answer, or a failure (409 on a unique value already used). */
    public synchronized Object create(String type, Map<String, Object> input) {
        Map<String, String> values = values(input);
        Failure invalid = refusedCreate(type, values);
        if (invalid != null) {
            return invalid;
        }
        Record record = newRecord(type);
        apply(type, record, values);
        return result(type, record, values.keySet());
    }

    public synchronized Object update(String type, String id, String idProperty, Map<String, Object> input) {
        Record record = byId(type, id, idProperty);
        if (record == null) {
            return new Failure(404, "OBJECT_NOT_FOUND", "resource not found", Map.of());
        }
        Map<String, String> values = values(input);
        Failure invalid = refusedUpdate(type, values, record, Map.of());
        if (invalid != null) {
            return invalid;
        }
        apply(type, record, values);
        return result(type, record, values.keySet());
    }

    public synchronized Map<String, Object> get(String type, String id, String idProperty, List<String> wanted) {
        Record record = byId(type, id, idProperty);
        return record == null ? null : result(type, record, wanted);
    }

    /** Search: filterGroups (OR of ANDs) with EQ, NEQ, IN, HAS_PROPERTY, NOT_HAS_PROPERTY; sorted by id; paged. */
    @SuppressWarnings("unchecked")
    public synchronized Map<String, Object> search(String type, Map<String, Object> request) {
        List<Map<String, Object>> groupsOfFilters = (List<Map<String, Object>>) request.getOrDefault("filterGroups",
                List.of());
        List<String> wanted = (List<String>) request.getOrDefault("properties", List.of());
        int limit = Math.min(200, ((Number) request.getOrDefault("limit", 10)).intValue());
        int after = request.get("after") == null ? 0 : Integer.parseInt(request.get("after").toString());
        List<Record> matches = new ArrayList<>();
        for (Record record : new TreeMap<>(records.get(type)).values()) {
            boolean match = groupsOfFilters.isEmpty();
            for (Map<String, Object> group : groupsOfFilters) {
                boolean all = true;
                for (Map<String, Object> filter : (List<Map<String, Object>>) group.getOrDefault("filters", List.of())) {
                    all &= matches(record, filter);
                }
                match |= all;
            }
            if (match) {
                matches.add(record);
            }
        }
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = after; i < Math.min(matches.size(), after + limit); i++) {
            page.add(result(type, matches.get(i), wanted));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total", matches.size());
        answer.put("results", page);
        if (after + limit < matches.size()) {
            answer.put("paging", Map.of("next", Map.of("after", String.valueOf(after + limit))));
        }
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Record record, Map<String, Object> filter) {
        String value = record.properties.get(String.valueOf(filter.get("propertyName")));
        String operator = String.valueOf(filter.getOrDefault("operator", "EQ"));
        return switch (operator) {
            case "EQ" -> value != null && value.equalsIgnoreCase(String.valueOf(filter.get("value")));
            case "NEQ" -> value == null || !value.equalsIgnoreCase(String.valueOf(filter.get("value")));
            case "IN" -> value != null && ((List<Object>) filter.getOrDefault("values", List.of())).stream()
                    .anyMatch(v -> value.equalsIgnoreCase(String.valueOf(v)));
            case "HAS_PROPERTY" -> value != null;
            case "NOT_HAS_PROPERTY" -> value == null;
            default -> throw new BatchRefused(new Failure(400, "VALIDATION_ERROR", "Unsupported operator " + operator,
                    Map.of()));
        };
    }

    // ---- associations (v4) ---------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    public synchronized BatchAnswer associate(String from, String to, List<Map<String, Object>> inputs) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<Failure> errors = new ArrayList<>();
        Set<Integer> known = ASSOCIATION_TYPES.getOrDefault(from + ">" + to, Set.of());
        for (Map<String, Object> input : inputs) {
            String fromId = String.valueOf(((Map<String, Object>) input.get("from")).get("id"));
            String toId = String.valueOf(((Map<String, Object>) input.get("to")).get("id"));
            List<Map<String, Object>> types = (List<Map<String, Object>>) input.getOrDefault("types", List.of());
            if (!records.get(from).containsKey(fromId) || !records.get(to).containsKey(toId)) {
                errors.add(new Failure(400, "VALIDATION_ERROR", "No " + (records.get(from).containsKey(fromId) ? to
                        : from) + " with id " + (records.get(from).containsKey(fromId) ? toId : fromId),
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
            result.put("fromObjectTypeId", TYPE_IDS.get(from));
            result.put("fromObjectId", Long.parseLong(fromId));
            result.put("toObjectTypeId", TYPE_IDS.get(to));
            result.put("toObjectId", Long.parseLong(toId));
            result.put("labels", List.of());
            results.add(result);
        }
        return new BatchAnswer(results, errors);
    }

    public synchronized List<Map<String, Object>> associationsOf(String from, String to, List<String> ids) {
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

    /** Records of a type whose property equals the value. */
    public synchronized List<Record> find(String type, String property, String value) {
        return records.get(type).values().stream().filter(r -> value.equals(r.properties.get(property))).toList();
    }

    /** Every record of a type (a copy). */
    public synchronized List<Record> all(String type) {
        return List.copyOf(records.get(type).values());
    }

    /** Every association from a type to another, as "fromId>toId". */
    public synchronized Set<String> associationPairs(String from, String to) {
        Set<String> pairs = new LinkedHashSet<>();
        for (String a : associations) {
            String[] p = a.split("\\|");
            if (p[0].equals(from) && p[2].equals(to)) {
                pairs.add(p[1] + ">" + p[3]);
            }
        }
        return pairs;
    }

    public synchronized int count(String type) {
        return records.get(type).size();
    }

    /** Ids of the records of {@code to} associated from a record (any association type). */
    public synchronized List<String> associated(String from, String fromId, String to) {
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
    public synchronized Set<Integer> associationTypes(String from, String fromId, String to, String toId) {
        Set<Integer> types = new LinkedHashSet<>();
        for (String a : associations) {
            String[] p = a.split("\\|");
            if (p[0].equals(from) && p[1].equals(fromId) && p[2].equals(to) && p[3].equals(toId)) {
                types.add(Integer.parseInt(p[4]));
            }
        }
        return types;
    }

    /** Sets a property as an agent would in HubSpot's UI (no validation). */
    public synchronized void edit(String type, String id, String property, String value) {
        Record record = records.get(type).get(id);
        record.properties.put(property, value);
        record.updatedAt = Instant.now();
    }

    // ---- internals -----------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, String> values(Map<String, Object> input) {
        Map<String, String> values = new LinkedHashMap<>();
        Object props = input.get("properties");
        if (props instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((k, v) -> values.put(k, v == null ? null : String.valueOf(v)));
        }
        return values;
    }

    /** Why HubSpot would refuse to create a record with these values (invalid, required missing, unique taken). */
    private Failure refusedCreate(String type, Map<String, String> values) {
        Failure invalid = validate(type, values, Map.of());
        if (invalid == null) {
            invalid = required(type, values, Map.of());
        }
        return invalid != null ? invalid : uniqueConflict(type, values, null);
    }

    /** Why HubSpot would refuse to set these values on the record (invalid, a unique value another record has). */
    private Failure refusedUpdate(String type, Map<String, String> values, Record record,
            Map<String, List<String>> context) {
        Failure invalid = validate(type, values, context);
        return invalid != null ? invalid : uniqueConflict(type, values, record.id);
    }

    private Failure validate(String type, Map<String, String> values, Map<String, List<String>> context) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            Property property = properties.get(type).get(entry.getKey());
            String value = entry.getValue();
            if (property == null) {
                problems.add("{\"isValid\":false,\"message\":\"Property \\\"" + entry.getKey()
                        + "\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"" + entry.getKey() + "\"}");
            } else if (value != null && !value.isEmpty() && !valid(property, value)) {
                problems.add("{\"isValid\":false,\"message\":\"" + value.replace("\"", "'") + " was not a valid "
                        + property.type() + ".\",\"error\":\"INVALID_" + property.type().toUpperCase() + "\",\"name\":\""
                        + property.name() + "\"}");
            }
        }
        if (problems.isEmpty()) {
            for (Predicate<Map<String, String>> rule : validationRules) {
                if (rule.test(values)) {
                    problems.add("{\"isValid\":false,\"message\":\"refused by a validation rule\","
                            + "\"error\":\"INVALID_OPTION\",\"name\":\"rule\"}");
                }
            }
        }
        return problems.isEmpty() ? null : new Failure(400, "VALIDATION_ERROR", "Property values were not valid: "
                + problems, context);
    }

    private static boolean valid(Property property, String value) {
        return switch (property.type()) {
            case "number" -> value.matches("-?\\d+(\\.\\d+)?");
            case "datetime", "date" -> value.matches("\\d{10,13}") || parses(value);
            case "enumeration" -> property.options().isEmpty() || property.options().contains(value);
            case "bool" -> value.equals("true") || value.equals("false");
            default -> value.length() <= 65_536;
        };
    }

    private static boolean parses(String iso) {
        try {
            Instant.parse(iso);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** HubSpot's required properties on create. */
    private static Failure required(String type, Map<String, String> values, Map<String, List<String>> context) {
        List<String> needed = switch (type) {
            case "communications" -> List.of("hs_timestamp", "hs_communication_channel_type", "hs_communication_logged_from");
            case "notes" -> List.of("hs_timestamp");
            case "tickets" -> List.of("subject", "hs_pipeline_stage");
            default -> List.of();
        };
        List<String> missing = needed.stream().filter(p -> values.get(p) == null || values.get(p).isEmpty()).toList();
        return missing.isEmpty() ? null : new Failure(400, "VALIDATION_ERROR", "Property values were not valid: "
                + missing.stream().map(p -> "{\"isValid\":false,\"message\":\"" + p + " is required\",\"error\":"
                        + "\"REQUIRED_PROPERTY\",\"name\":\"" + p + "\"}").toList(), context);
    }

    private Failure uniqueConflict(String type, Map<String, String> values, String selfId) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            Property property = properties.get(type).get(entry.getKey());
            if (property != null && property.unique() && entry.getValue() != null) {
                Record other = findUnique(type, entry.getKey(), entry.getValue());
                if (other != null && !other.id.equals(selfId)) {
                    return new Failure(409, "CONFLICT", "A " + type + " with " + entry.getKey() + " '"
                            + entry.getValue() + "' already exists. Existing ID: " + other.id, Map.of(entry.getKey(),
                                    List.of(entry.getValue())));
                }
            }
        }
        return null;
    }

    private Record findUnique(String type, String property, String value) {
        Property definition = properties.get(type).get(property);
        if (definition != null && definition.unique()) {
            return uniqueIndex.getOrDefault(type + "|" + property, Map.of()).get(value);
        }
        for (Record r : records.get(type).values()) {
            if (value.equals(r.properties.get(property))) {
                return r;
            }
        }
        return null;
    }

    private Record byId(String type, String id, String idProperty) {
        if (idProperty == null || idProperty.isBlank() || "hs_object_id".equals(idProperty)) {
            return records.get(type).get(id);
        }
        return findUnique(type, idProperty, id);
    }

    private Record newRecord(String type) {
        Record record = new Record(String.valueOf(nextId.incrementAndGet()));
        records.get(type).put(record.id, record);
        record.properties.put("hs_object_id", record.id);
        record.properties.put("hs_createdate", record.createdAt.toString());
        if (type.equals("contacts")) {
            record.properties.put("createdate", record.createdAt.toString());
        }
        return record;
    }

    private void apply(String type, Record record, Map<String, String> values) {
        values.forEach((k, v) -> {
            Property definition = properties.get(type).get(k);
            if (definition != null && definition.unique()) {
                Map<String, Record> index = uniqueIndex.computeIfAbsent(type + "|" + k, key -> new HashMap<>());
                String old = record.properties.get(k);
                if (old != null) {
                    index.remove(old);
                }
                if (v != null && !v.isEmpty()) {
                    index.put(v, record);
                }
            }
            if (v == null || v.isEmpty()) {
                record.properties.remove(k);
            } else {
                record.properties.put(k, v);
            }
        });
        record.updatedAt = Instant.now();
        record.properties.put("hs_lastmodifieddate", record.updatedAt.toString());
    }

    private static Map<String, Object> result(String type, Record record, java.util.Collection<String> wanted) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("hs_object_id", record.id);
        props.put("hs_createdate", record.properties.get("hs_createdate"));
        props.put("hs_lastmodifieddate", record.properties.get("hs_lastmodifieddate"));
        for (String name : wanted) {
            props.put(name, record.properties.get(name));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", record.id);
        result.put("properties", props);
        result.put("createdAt", record.createdAt.toString());
        result.put("updatedAt", record.updatedAt.toString());
        result.put("archived", false);
        return result;
    }

    /** A whole batch call refused (HubSpot answers it with one error and no results). */
    public static final class BatchRefused extends RuntimeException {
        private final transient Failure failure;

        BatchRefused(Failure failure) {
            super(failure.message());
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }
}
