package io.github.wacrm.bridge.emulator.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.github.wacrm.bridge.emulator.salesforce.SalesforceSchema.Field;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceSchema.SObject;

/**
 * The data of the emulated org and the DML rules Salesforce applies: field checks against the schema, external-id
 * upserts (201 created, 200 updated, 300 several matches), relationship references by external id, required fields on
 * insert, unique fields, restricted picklists, text lengths, formulas and a few derived standard fields. All methods
 * are synchronized: the org is one consistent store, like a database.
 */
public final class SalesforceOrg {

    /** A DML outcome in Salesforce's terms. */
    public record Result(int status, String id, boolean created, List<Map<String, Object>> errors) {

        static Result error(int status, String code, String message, List<String> fields) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("statusCode", code);
            error.put("message", message);
            error.put("fields", fields);
            return new Result(status, null, false, List.of(error));
        }

        boolean ok() {
            return errors.isEmpty();
        }
    }

    /** A validation rule an admin might add: records matching it are refused with the given message. */
    public record ValidationRule(String object, Predicate<Map<String, Object>> matches, String message) {
    }

    private final SalesforceSchema schema;
    private final SalesforceEventBus events;
    private final Map<String, Map<String, Map<String, Object>>> records = new HashMap<>();
    private final Map<String, Map<String, String>> externalIndex = new HashMap<>();
    private final List<ValidationRule> validationRules = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private int lockErrorsToInject;

    public SalesforceOrg(SalesforceSchema schema) {
        this.schema = schema;
        this.events = new SalesforceEventBus(schema);
    }

    public SalesforceSchema schema() {
        return schema;
    }

    /** The org's platform events, published over REST or Pub/Sub and read by Pub/Sub subscribers. */
    public SalesforceEventBus events() {
        return events;
    }

    public synchronized void reset() {
        events.reset();
        records.clear();
        externalIndex.clear();
        validationRules.clear();
        lockErrorsToInject = 0;
    }

    public synchronized void addValidationRule(ValidationRule rule) {
        validationRules.add(rule);
    }

    public synchronized void clearValidationRules() {
        validationRules.clear();
    }

    /** The next {@code count} record writes fail with UNABLE_TO_LOCK_ROW. */
    public synchronized void injectLockErrors(int count) {
        lockErrorsToInject = count;
    }

    public synchronized Result upsert(String objectName, String externalIdField, String externalIdValue,
            Map<String, Object> values) {
        Optional<SObject> object = schema.object(objectName);
        if (object.isEmpty()) {
            return Result.error(404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
        Optional<Field> idField = object.get().field(externalIdField);
        if (idField.isEmpty() || !idField.get().externalId()) {
            return Result.error(404, "NOT_FOUND",
                    "Provided external ID field does not exist or is not accessible: " + externalIdField, List.of());
        }
        if (externalIdValue == null || externalIdValue.isBlank()) {
            return Result.error(400, "MISSING_ARGUMENT", externalIdField + " not specified", List.of(externalIdField));
        }
        Object bodyValue = values.get(externalIdField);
        if (bodyValue != null && !externalIdValue.equals(bodyValue.toString())) {
            return Result.error(400, "INVALID_FIELD", "The external ID field value in the body does not match the URL",
                    List.of(externalIdField));
        }
        Map<String, Object> changes = new LinkedHashMap<>(values);
        changes.put(externalIdField, externalIdValue);
        String existing;
        if (idField.get().unique()) {
            existing = externalIndex.getOrDefault(key(objectName, externalIdField), Map.of()).get(externalIdValue);
        } else {
            List<String> matches = table(objectName).values().stream()
                    .filter(r -> externalIdValue.equals(r.get(externalIdField))).map(r -> (String) r.get("Id")).toList();
            if (matches.size() > 1) {
                return Result.error(300, "DUPLICATE_EXTERNAL_ID", externalIdField + ": more than one record found for "
                        + "external id field: " + matches, List.of(externalIdField));
            }
            existing = matches.isEmpty() ? null : matches.get(0);
        }
        return write(object.get(), existing, changes);
    }

    public synchronized Result create(String objectName, Map<String, Object> values) {
        Optional<SObject> object = schema.object(objectName);
        if (object.isEmpty()) {
            return Result.error(404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
        return write(object.get(), null, new LinkedHashMap<>(values));
    }

    /**
     * Checks a platform event's fields as Salesforce does when it is published: every field must exist on the event
     * and fit it. Events are not stored as records (they cannot be queried); the event bus keeps them.
     */
    public synchronized Result checkEvent(String objectName, Map<String, Object> values) {
        Optional<SObject> object = schema.object(objectName).filter(o -> o.name().endsWith("__e"));
        if (object.isEmpty()) {
            return Result.error(404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            Optional<Field> field = object.get().field(entry.getKey());
            if (field.isEmpty()) {
                return Result.error(400, "INVALID_FIELD", "No such column '" + entry.getKey()
                        + "' on sobject of type " + objectName, List.of(entry.getKey()));
            }
            Result check = checkValue(field.get(), entry.getValue());
            if (!check.ok()) {
                return check;
            }
        }
        return new Result(201, null, true, List.of());
    }

    public synchronized Result update(String objectName, String id, Map<String, Object> values) {
        Optional<SObject> object = schema.object(objectName);
        if (object.isEmpty() || !table(objectName).containsKey(id)) {
            return Result.error(404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
        return write(object.get(), id, new LinkedHashMap<>(values));
    }

    /**
     * Runs {@code work} as one transaction: when {@code failed} says its outcome failed, every write it made is undone
     * (Salesforce's allOrNone).
     */
    public synchronized <T> T transaction(java.util.function.Supplier<T> work, java.util.function.Predicate<T> failed) {
        // an undo journal of what the work touches (not a copy of the org: that made every call cost the org's size)
        undoRecords = new LinkedHashMap<>();
        undoIndex = new LinkedHashMap<>();
        try {
            T outcome = work.get();
            if (failed.test(outcome)) {
                undoRecords.forEach((row, before) -> {
                    if (before == null) {
                        table(row.object()).remove(row.id());
                    } else {
                        table(row.object()).put(row.id(), before);
                    }
                });
                undoIndex.forEach((entry, before) -> {
                    Map<String, String> index = externalIndex.computeIfAbsent(entry.index(), k -> new HashMap<>());
                    if (before == null) {
                        index.remove(entry.value());
                    } else {
                        index.put(entry.value(), before);
                    }
                });
            }
            return outcome;
        } finally {
            undoRecords = null;
            undoIndex = null;
        }
    }

    /** A stored row and an external-id index entry, as the undo journal names them. */
    private record Row(String object, String id) {
    }

    private record IndexEntry(String index, String value) {
    }

    /** While a transaction runs: each row and index entry it changed, as it was before (null: it did not exist). */
    private Map<Row, Map<String, Object>> undoRecords;
    private Map<IndexEntry, String> undoIndex;

    private void putRow(String object, String id, Map<String, Object> row) {
        Map<String, Object> before = row == null ? table(object).remove(id) : table(object).put(id, row);
        if (undoRecords != null) {
            undoRecords.putIfAbsent(new Row(object, id), before);
        }
    }

    private void putIndex(Map<String, String> index, String indexKey, String value, String id) {
        String before = id == null ? index.remove(value) : index.put(value, id);
        if (undoIndex != null) {
            undoIndex.putIfAbsent(new IndexEntry(indexKey, value), before);
        }
    }

    /** Deletes a record (and frees its external ids); false when there is none with that id. */
    public synchronized boolean delete(String objectName, String id) {
        Map<String, Object> record = schema.object(objectName).isEmpty() ? null : table(objectName).get(id);
        if (record == null) {
            return false;
        }
        putRow(objectName, id, null);
        externalIndex.forEach((key, index) -> {
            if (key.startsWith(objectName + ".")) {
                index.entrySet().stream().filter(e -> id.equals(e.getValue())).map(Map.Entry::getKey).toList()
                        .forEach(value -> putIndex(index, key, value, null));
            }
        });
        return true;
    }

    public synchronized Optional<Map<String, Object>> get(String objectName, String id) {
        Map<String, Object> record = table(objectName).get(id);
        return record == null ? Optional.empty() : Optional.of(view(schema.object(objectName).orElseThrow(), record));
    }

    /** How many stored records of an object match {@code test} (read as stored: no formulas; for a benchmark's polls). */
    public synchronized long count(String objectName, Predicate<Map<String, Object>> test) {
        return table(objectName).values().stream().filter(test).count();
    }

    /** Every record of an object as the API would return it (formulas evaluated), in creation order. */
    public synchronized List<Map<String, Object>> all(String objectName) {
        SObject object = schema.object(objectName).orElseThrow(() -> new IllegalArgumentException(objectName));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> record : table(objectName).values()) {
            rows.add(view(object, record));
        }
        rows.sort(Comparator.comparing(r -> (String) r.get("Id")));
        return rows;
    }

    /** A record's parent through a relationship ({@code Contact__r}): its type and its view; null when not set. */
    record Parent(String type, Map<String, Object> view) {
    }

    synchronized Parent parent(String objectName, Map<String, Object> view, String relationship) {
        SObject object = schema.object(objectName).orElseThrow();
        Field reference = object.relationship(relationship)
                .orElseThrow(() -> new IllegalArgumentException("Didn't understand relationship '" + relationship
                        + "' in field path"));
        Object id = view.get(reference.name());
        return id == null ? null : get(reference.referenceTo(), id.toString())
                .map(found -> new Parent(reference.referenceTo(), found)).orElse(null);
    }

    /** Resolves a relationship path such as {@code Contact__r.WhatsApp_Id__c} on a stored record view. */
    synchronized Object path(String objectName, Map<String, Object> view, String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return view.get(path);
        }
        SObject object = schema.object(objectName).orElseThrow();
        Field reference = object.relationship(path.substring(0, dot))
                .orElseThrow(() -> new IllegalArgumentException("Didn't understand relationship '" + path.substring(0, dot)
                        + "' in field path"));
        Object id = view.get(reference.name());
        if (id == null) {
            return null;
        }
        return get(reference.referenceTo(), id.toString()).map(parent -> path(reference.referenceTo(), parent,
                path.substring(dot + 1))).orElse(null);
    }

    private Result write(SObject object, String existingId, Map<String, Object> changes) {
        changes.remove("attributes");
        changes.remove("Id");
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : changes.entrySet()) {
            String name = entry.getKey();
            Object value = entry.getValue();
            Optional<Field> field = object.field(name);
            if (field.isEmpty()) {
                Optional<Field> reference = object.relationship(name);
                if (reference.isEmpty()) {
                    return Result.error(400, "INVALID_FIELD",
                            "No such column '" + name + "' on sobject of type " + object.name(), List.of(name));
                }
                Result lookup = resolveReference(reference.get(), value);
                if (!lookup.ok()) {
                    return lookup;
                }
                resolved.put(reference.get().name(), lookup.id());
                continue;
            }
            Field f = field.get();
            if (!f.createable()) {
                return Result.error(400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + name
                        + ". Please check the security settings of this field and verify that it is read/write for your "
                        + "profile or permission set.", List.of(name));
            }
            Result check = checkValue(f, value);
            if (!check.ok()) {
                return check;
            }
            // a polymorphic lookup (Task.WhoId: Contact,Lead) takes a record of any of its objects
            if ("Lookup".equals(f.type()) && value != null && !"".equals(value) && java.util.Arrays.stream(
                    f.referenceTo().split(",")).allMatch(to -> get(to, value.toString()).isEmpty())) {
                return Result.error(400, "FIELD_INTEGRITY_EXCEPTION", f.name() + ": id value of incorrect type: "
                        + value, List.of(name));
            }
            resolved.put(name, value == null || "".equals(value) ? null : normalizeValue(f, value));
        }
        Map<String, Object> current = existingId == null ? new LinkedHashMap<>() : table(object.name()).get(existingId);
        Map<String, Object> merged = new LinkedHashMap<>(current);
        merged.putAll(resolved);
        if (existingId == null) {
            List<String> missing = object.requiredOnCreate().stream()
                    .filter(name -> merged.get(name) == null || merged.get(name).toString().isBlank()).toList();
            if (!missing.isEmpty()) {
                return Result.error(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing);
            }
        }
        for (Field f : object.fields().values()) {
            if (f.unique() && merged.get(f.name()) != null) {
                String other = externalIndex.getOrDefault(key(object.name(), f.name()), Map.of())
                        .get(merged.get(f.name()).toString());
                if (other != null && !other.equals(existingId)) {
                    return Result.error(400, "DUPLICATE_VALUE", "duplicate value found: " + f.name()
                            + " duplicates value on record with id: " + other, List.of(f.name()));
                }
            }
        }
        for (ValidationRule rule : validationRules) {
            if (rule.object().equals(object.name()) && rule.matches().test(merged)) {
                return Result.error(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", rule.message(), List.of());
            }
        }
        if (lockErrorsToInject > 0) {
            lockErrorsToInject--;
            return Result.error(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: "
                    + (existingId == null ? object.keyPrefix() + "000000000000000" : existingId), List.of());
        }
        String now = SALESFORCE_DATE_TIME.format(Instant.now());
        boolean created = existingId == null;
        String id = created ? newId(object) : existingId;
        if (created) {
            merged.put("Id", id);
            merged.put("CreatedDate", now);
            if ("Case".equals(object.name())) {
                merged.putIfAbsent("Status", "New");
                merged.put("CaseNumber", String.format("%08d", sequence.get()));
            }
            for (Field f : object.fields().values()) {
                if ("Checkbox".equals(f.type()) && f.createable()) {
                    merged.putIfAbsent(f.name(), false);
                }
            }
        }
        merged.put("LastModifiedDate", now);
        for (Field f : object.fields().values()) {
            if (f.unique()) {
                String indexKey = key(object.name(), f.name());
                Map<String, String> index = externalIndex.computeIfAbsent(indexKey, k -> new HashMap<>());
                Object old = current.get(f.name());
                if (old != null) {
                    putIndex(index, indexKey, old.toString(), null);
                }
                if (merged.get(f.name()) != null) {
                    putIndex(index, indexKey, merged.get(f.name()).toString(), id);
                }
            }
        }
        putRow(object.name(), id, merged);
        return new Result(created ? 201 : 200, id, created, List.of());
    }

    @SuppressWarnings("unchecked")
    private Result resolveReference(Field reference, Object value) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1) {
            return Result.error(400, "INVALID_FIELD", "Relationship " + reference.relationshipName()
                    + " must name exactly one external id field", List.of(reference.name()));
        }
        Map.Entry<String, Object> entry = ((Map<String, Object>) map).entrySet().iterator().next();
        SObject parent = schema.object(reference.referenceTo()).orElseThrow();
        Optional<Field> parentField = parent.field(entry.getKey());
        if (parentField.isEmpty() || !parentField.get().externalId()) {
            return Result.error(400, "INVALID_FIELD", "Field " + entry.getKey() + " is not an external id on "
                    + parent.name(), List.of(reference.name()));
        }
        String id = externalIndex.getOrDefault(key(parent.name(), entry.getKey()), Map.of())
                .get(String.valueOf(entry.getValue()));
        if (id == null) {
            return Result.error(400, "INVALID_FIELD", "Foreign key external ID: " + entry.getValue()
                    + " not found for field " + entry.getKey() + " in entity " + parent.name(), List.of(reference.name()));
        }
        return new Result(200, id, false, List.of());
    }

    private static Result checkValue(Field field, Object value) {
        if (value == null || "".equals(value)) {
            return new Result(200, null, false, List.of());
        }
        String name = field.name();
        switch (field.type()) {
            case "Text", "LongTextArea", "Phone", "Email", "Url" -> {
                if (!(value instanceof String text)) {
                    return Result.error(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of string from "
                            + value.getClass().getSimpleName() + " value for " + name, List.of(name));
                }
                // Salesforce counts UTF-16 code units: an emoji outside the Basic Multilingual Plane is 2
                if (text.length() > field.length()) {
                    return Result.error(400, "STRING_TOO_LONG", field.name() + ": data value too large: "
                            + text.substring(0, Math.min(20, text.length())) + "... (max length=" + field.length() + ")",
                            List.of(name));
                }
            }
            case "Picklist" -> {
                if (!field.restrictedValues().isEmpty() && !field.restrictedValues().contains(value.toString())) {
                    return Result.error(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                            field.name() + ": bad value for restricted picklist field: " + value, List.of(name));
                }
            }
            case "DateTime" -> {
                try {
                    parseDateTime(value.toString());
                } catch (DateTimeParseException e) {
                    return Result.error(400, "JSON_PARSER_ERROR", "Cannot deserialize value of type `java.util.Date` from "
                            + "String \"" + value + "\" for " + name, List.of(name));
                }
            }
            case "Number" -> {
                if (!(value instanceof Number)) {
                    return Result.error(400, "JSON_PARSER_ERROR", "Cannot deserialize number for " + name, List.of(name));
                }
            }
            case "Checkbox" -> {
                if (!(value instanceof Boolean)) {
                    return Result.error(400, "JSON_PARSER_ERROR", "Cannot deserialize boolean for " + name, List.of(name));
                }
            }
            default -> {
            }
        }
        return new Result(200, null, false, List.of());
    }

    /** As Salesforce writes a DateTime back: UTC, milliseconds, {@code +0000} (2024-11-22T10:06:40.000+0000). */
    static final DateTimeFormatter SALESFORCE_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);

    private static Object normalizeValue(Field field, Object value) {
        if ("DateTime".equals(field.type())) {
            return SALESFORCE_DATE_TIME.format(parseDateTime(value.toString()));
        }
        return value;
    }

    /** Salesforce takes ISO-8601 with {@code Z} or an offset, and its own {@code +0000} form. */
    public static Instant parseDateTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException iso) {
            return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toInstant();
        }
    }

    private Map<String, Object> view(SObject object, Map<String, Object> record) {
        Map<String, Object> view = new LinkedHashMap<>(record);
        for (Field f : object.fields().values()) {
            if (f.isFormula()) {
                view.put(f.name(), SalesforceSchema.evaluate(f.formula(), view));
            }
            view.putIfAbsent(f.name(), null);
        }
        if ("Case".equals(object.name())) {
            view.put("IsClosed", "Closed".equals(view.get("Status")));
        }
        return view;
    }

    private String newId(SObject object) {
        return object.keyPrefix() + String.format("%012d", sequence.incrementAndGet()) + "AAA";
    }

    private Map<String, Map<String, Object>> table(String objectName) {
        return records.computeIfAbsent(objectName, k -> new LinkedHashMap<>());
    }

    private static String key(String object, String field) {
        return object + "." + field;
    }
}
