package io.github.wacrm.bridge.emulator.hubspot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchAnswer;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchRefused;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Property;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;

/**
 * What HubSpot's objects API does with records: create, read and update one record, and batch create / read / update /
 * upsert (on a unique {@code idProperty}), refusing as HubSpot does (a whole batch, or one input of it) and answering in
 * HubSpot's shapes; also the passing per-input failures of batch upserts and the count of their inputs. Not locked
 * itself: {@link HubSpotPortal} calls it under its one lock.
 */
final class HubSpotObjectOperations {

    private final HubSpotPropertySchema schema;
    private final HubSpotRecords records;
    /** Inputs of batch upserts still to fail with a passing error (a 207 with INTERNAL_ERROR for them). */
    private final Map<String, Integer> transientInputFailures = new HashMap<>();
    /** How often each "type|unique value" came in a batch upsert input. */
    private final Map<String, Integer> upsertInputs = new HashMap<>();

    HubSpotObjectOperations(HubSpotPropertySchema schema, HubSpotRecords records) {
        this.schema = schema;
        this.records = records;
    }

    /** How a batch upsert with an invalid input is answered ({@link HubSpotPortal.InvalidBatchAnswer}). */
    private HubSpotPortal.InvalidBatchAnswer invalidBatchAnswer = HubSpotPortal.InvalidBatchAnswer.PER_INPUT;

    /** No passing failures to come, no inputs counted. */
    void reset() {
        transientInputFailures.clear();
        upsertInputs.clear();
        invalidBatchAnswer = HubSpotPortal.InvalidBatchAnswer.PER_INPUT;
    }

    void clearTransientFailures() {
        transientInputFailures.clear();
        invalidBatchAnswer = HubSpotPortal.InvalidBatchAnswer.PER_INPUT;
    }

    void answerInvalidBatches(HubSpotPortal.InvalidBatchAnswer answer) {
        invalidBatchAnswer = answer;
    }

    /** The next {@code times} batch upserts of this unique value fail for that input alone, with a passing error. */
    void failInputTransiently(String type, String uniqueValue, int times) {
        transientInputFailures.put(type + "|" + uniqueValue, times);
    }

    /** How many batch upsert inputs carried this unique value. */
    int upsertInputs(String type, String uniqueValue) {
        return upsertInputs.getOrDefault(type + "|" + uniqueValue, 0);
    }

    BatchAnswer batchUpsert(String type, List<Map<String, Object>> inputs) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<Failure> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> input : inputs) {
            String idProperty = (String) input.get("idProperty");
            String value = String.valueOf(input.get("id"));
            Property unique = idProperty == null ? null : schema.property(type, idProperty);
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
            Failure invalid = schema.validate(type, values, context);
            Record existing = records.findUnique(type, idProperty, value);
            if (invalid == null && existing == null) {
                invalid = HubSpotPropertySchema.required(type, values, context);
            }
            if (invalid != null && invalidBatchAnswer == HubSpotPortal.InvalidBatchAnswer.WHOLE_CALL_UNNAMED) {
                // the whole call, and the answer does not name the input
                throw new BatchRefused(new Failure(400, invalid.category(), "Property values were not valid: "
                        + invalid.message().replace(value, "…"), Map.of()));
            }
            if (invalid != null && invalidBatchAnswer == HubSpotPortal.InvalidBatchAnswer.WHOLE_CALL_NAMING_FIRST) {
                // the whole call, naming the first input it refused and only that one, however many more are bad
                throw new BatchRefused(new Failure(400, invalid.category(), "Property values were not valid: "
                        + invalid.message(), context));
            }
            if (invalid != null) {
                errors.add(invalid);
                continue;
            }
            boolean created = existing == null;
            Record record = created ? records.newRecord(type) : existing;
            records.apply(type, record, values);
            Map<String, Object> result = HubSpotRecords.result(type, record, values.keySet());
            result.put("new", created);
            results.add(result);
        }
        return new BatchAnswer(results, errors);
    }

    BatchAnswer batchCreate(String type, List<Map<String, Object>> inputs) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (Map<String, Object> input : inputs) {
            Failure invalid = refusedCreate(type, values(input));
            if (invalid != null) {
                throw new BatchRefused(invalid);
            }
        }
        for (Map<String, Object> input : inputs) {
            Map<String, String> values = values(input);
            Record record = records.newRecord(type);
            records.apply(type, record, values);
            results.add(HubSpotRecords.result(type, record, values.keySet()));
        }
        return new BatchAnswer(results, List.of());
    }

    BatchAnswer batchUpdate(String type, List<Map<String, Object>> inputs, String idProperty) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<Failure> errors = new ArrayList<>();
        for (Map<String, Object> input : inputs) {
            String id = String.valueOf(input.get("id"));
            Record record = records.byId(type, id, (String) input.getOrDefault("idProperty", idProperty));
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
            records.apply(type, record, values);
            results.add(HubSpotRecords.result(type, record, values.keySet()));
        }
        return new BatchAnswer(results, errors);
    }

    BatchAnswer batchRead(String type, List<String> ids, List<String> wanted, String idProperty) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Record record = records.byId(type, id, idProperty);
            if (record == null) {
                missing.add(id);
            } else {
                results.add(HubSpotRecords.result(type, record, wanted));
            }
        }
        List<Failure> errors = missing.isEmpty() ? List.of() : List.of(new Failure(404, "OBJECT_NOT_FOUND",
                "Could not get some " + type + " objects, they may be deleted or not exist. Check that ids are valid.",
                Map.of("ids", missing)));
        return new BatchAnswer(results, errors);
    }

    /** Single create: the record's answer, or a failure (409 on a unique value already used). */
    Object create(String type, Map<String, Object> input) {
        Map<String, String> values = values(input);
        Failure invalid = refusedCreate(type, values);
        if (invalid != null) {
            return invalid;
        }
        Record record = records.newRecord(type);
        records.apply(type, record, values);
        return HubSpotRecords.result(type, record, values.keySet());
    }

    Object update(String type, String id, String idProperty, Map<String, Object> input) {
        Record record = records.byId(type, id, idProperty);
        if (record == null) {
            return new Failure(404, "OBJECT_NOT_FOUND", "resource not found", Map.of());
        }
        Map<String, String> values = values(input);
        Failure invalid = refusedUpdate(type, values, record, Map.of());
        if (invalid != null) {
            return invalid;
        }
        records.apply(type, record, values);
        return HubSpotRecords.result(type, record, values.keySet());
    }

    /** A page of the records of a type in id order, as {@code GET /crm/v3/objects/{type}} answers it. */
    Map<String, Object> page(String type, int limit, String after, List<String> wanted) {
        List<Map<String, Object>> results = new ArrayList<>();
        String next = null;
        for (Record record : records.byIdOrder(type)) {
            if (after != null && Long.parseLong(record.id) < Long.parseLong(after)) {
                continue;
            }
            if (results.size() == limit) {
                next = record.id;
                break;
            }
            results.add(HubSpotRecords.result(type, record, wanted));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("results", results);
        if (next != null) {
            page.put("paging", Map.of("next", Map.of("after", next, "link", "?after=" + next)));
        }
        return page;
    }

    Map<String, Object> get(String type, String id, String idProperty, List<String> wanted) {
        Record record = records.byId(type, id, idProperty);
        return record == null ? null : HubSpotRecords.result(type, record, wanted);
    }

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
        Failure invalid = schema.validate(type, values, Map.of());
        if (invalid == null) {
            invalid = HubSpotPropertySchema.required(type, values, Map.of());
        }
        return invalid != null ? invalid : records.uniqueConflict(type, values, null);
    }

    /** Why HubSpot would refuse to set these values on the record (invalid, a unique value another record has). */
    private Failure refusedUpdate(String type, Map<String, String> values, Record record,
            Map<String, List<String>> context) {
        Failure invalid = schema.validate(type, values, context);
        return invalid != null ? invalid : records.uniqueConflict(type, values, record.id);
    }
}
