package io.github.wacrm.bridge.emulator.salesforce;

import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.errors;
import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.saveResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * sObject Collections, {@code /services/data/vNN.N/composite/sobjects}: upsert ({@code PATCH /{Object}/{ExternalIdField}}),
 * create ({@code POST}), update ({@code PATCH}), retrieve ({@code GET /{Object}?ids=&fields=}) and delete
 * ({@code DELETE ?ids=}); up to 200 records, a save result per record (errors name {@code statusCode}). A request
 * that is not well formed (a field the object lacks, a record without its type) is refused as a whole with a 400;
 * with {@code allOrNone} one failed record rolls every write of the call back; one external id twice in an upsert
 * fails both records ({@code DUPLICATE_VALUE}).
 */
final class SalesforceCollectionsApi {

    private static final int LIMIT = 200;

    private final SalesforceOrg org;

    SalesforceCollectionsApi(SalesforceOrg org) {
        this.org = org;
    }

    SalesforceReply upsert(String object, String externalIdField, byte[] body) throws IOException {
        return write(object, body, records -> {
            Map<Object, Integer> seen = new HashMap<>();
            records.forEach(r -> seen.merge(r.get(externalIdField), 1, Integer::sum));
            return (record, type) -> {
                Object value = record.get(externalIdField);
                if (value != null && seen.get(value) > 1) {
                    return failure("DUPLICATE_VALUE", "Duplicate external id specified: " + value, externalIdField);
                }
                return saveResult(org.upsert(object, externalIdField, value == null ? null : value.toString(), record));
            };
        });
    }

    /** {@code POST /composite/sobjects}: each record names its type (they may differ). */
    SalesforceReply create(byte[] body) throws IOException {
        return write(null, body, records -> (record, type) -> saveResult(org.create(type, record)));
    }

    /** {@code PATCH /composite/sobjects}: each record names its {@code id}. */
    SalesforceReply update(byte[] body) throws IOException {
        return write(null, body, records -> (record, type) -> {
            Object id = record.remove("id");
            if (id == null) {
                return failure("MISSING_ARGUMENT", "Id not specified in an update call", "Id");
            }
            SalesforceOrg.Result result = org.update(type, id.toString(), record);
            return result.ok() ? saveResult(new SalesforceOrg.Result(200, id.toString(), false, List.of()))
                    : saveResult(result);
        });
    }

    /** {@code GET /composite/sobjects/{Object}?ids=a,b&fields=x,y}: the records, null where an id has none. */
    SalesforceReply retrieve(String object, Map<String, String> query) {
        if (org.schema().object(object).isEmpty()) {
            return new SalesforceReply(404, errors("NOT_FOUND", "The requested resource does not exist"));
        }
        List<String> ids = split(query.get("ids"));
        List<String> fields = split(query.get("fields"));
        if (ids.isEmpty() || fields.isEmpty() || ids.size() > 2000) {
            return new SalesforceReply(400, errors("INVALID_FIELD", "ids and fields are required (at most 2,000 ids)"));
        }
        List<Object> out = new ArrayList<>();
        for (String id : ids) {
            out.add(org.get(object, id).map(row -> {
                Map<String, Object> record = new java.util.LinkedHashMap<>();
                record.put("attributes", Map.of("type", object, "url", "/services/data/v62.0/sobjects/" + object + "/" + id));
                fields.forEach(f -> record.put(f, row.get(f)));
                return (Object) record;
            }).orElse(null));
        }
        return new SalesforceReply(200, out);
    }

    /** {@code POST /composite/sobjects/{Object}} with {@code {"ids": [...], "fields": [...]}}: as the GET, for long lists. */
    @SuppressWarnings("unchecked")
    SalesforceReply retrieve(String object, byte[] body) throws IOException {
        Map<String, Object> request = SalesforceEmulator.map(body);
        List<Object> ids = (List<Object>) request.getOrDefault("ids", List.of());
        List<Object> fields = (List<Object>) request.getOrDefault("fields", List.of());
        return retrieve(object, Map.of("ids", String.join(",", ids.stream().map(String::valueOf).toList()),
                "fields", String.join(",", fields.stream().map(String::valueOf).toList())));
    }

    /** {@code DELETE /composite/sobjects?ids=a,b&allOrNone=}: a delete result per id. */
    SalesforceReply delete(Map<String, String> query) {
        List<String> ids = split(query.get("ids"));
        if (ids.isEmpty() || ids.size() > LIMIT) {
            return new SalesforceReply(400, errors("EXCEEDED_ID_LIMIT", "between 1 and 200 ids"));
        }
        boolean allOrNone = Boolean.parseBoolean(query.get("allOrNone"));
        List<Object> results = org.transaction(() -> {
            List<Object> out = new ArrayList<>();
            for (String id : ids) {
                String object = org.schema().objectOfId(id);
                out.add(object != null && org.delete(object, id) ? Map.of("id", id, "success", true, "errors", List.of())
                        : failure("ENTITY_IS_DELETED", "entity is deleted", null));
            }
            return allOrNone ? rolledBackIfAnyFailed(out) : out;
        }, out -> allOrNone && anyFailed(out));
        return new SalesforceReply(200, results);
    }

    /**
     * Checks the request as a whole, then writes each record in one transaction. {@code uriObject}: the object the URI
     * names (upsert), or null when each record names its own type (create, update).
     */
    @SuppressWarnings("unchecked")
    private SalesforceReply write(String uriObject, byte[] body,
            Function<List<Map<String, Object>>, BiFunction<Map<String, Object>, String, Object>> writer)
            throws IOException {
        Map<String, Object> request = SalesforceEmulator.map(body);
        List<Map<String, Object>> records = (List<Map<String, Object>>) request.getOrDefault("records", List.of());
        boolean allOrNone = Boolean.TRUE.equals(request.get("allOrNone"));
        if (records.size() > LIMIT) {
            return new SalesforceReply(400, errors("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records into this call"));
        }
        if (uriObject != null && org.schema().object(uriObject).isEmpty()) {
            return new SalesforceReply(404, errors("NOT_FOUND", "The requested resource does not exist"));
        }
        List<String> types = new ArrayList<>();
        for (Map<String, Object> record : records) {
            Object type = record.get("attributes") instanceof Map<?, ?> attributes ? attributes.get("type") : null;
            if (type == null || (uriObject != null && !uriObject.equals(type))) {
                return new SalesforceReply(400, errors("INVALID_TYPE", uriObject == null
                        ? "Each record must name its type in attributes" : "Record type in attributes must be " + uriObject));
            }
            SalesforceSchema.SObject sobject = org.schema().object(type.toString()).orElse(null);
            if (sobject == null) {
                return new SalesforceReply(400, errors("INVALID_TYPE", "sObject type '" + type + "' is not supported."));
            }
            for (String field : record.keySet()) {
                // a relationship (Contact__r: {"WhatsApp_Id__c": ...}) names its parent by an external id
                if (!field.equals("attributes") && !field.equalsIgnoreCase("id") && sobject.field(field).isEmpty()
                        && sobject.relationship(field).isEmpty()) {
                    return new SalesforceReply(400, errors("INVALID_FIELD",
                            "No such column '" + field + "' on sobject of type " + type));
                }
            }
            types.add(type.toString());
        }
        BiFunction<Map<String, Object>, String, Object> each = writer.apply(records);
        List<Object> results = org.transaction(() -> {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                out.add(each.apply(new java.util.LinkedHashMap<>(records.get(i)), types.get(i)));
            }
            return allOrNone ? rolledBackIfAnyFailed(out) : out;
        }, out -> allOrNone && anyFailed(out));
        return new SalesforceReply(200, results);
    }

    /** With allOrNone, records that did succeed are reported rolled back, as Salesforce reports them. */
    @SuppressWarnings("unchecked")
    private static List<Object> rolledBackIfAnyFailed(List<Object> results) {
        if (!anyFailed(results)) {
            return results;
        }
        List<Object> rolledBack = new ArrayList<>();
        for (Object r : results) {
            Map<String, Object> m = (Map<String, Object>) r;
            rolledBack.add(Boolean.TRUE.equals(m.get("success")) ? failure("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                    "Record rolled back because not all records were valid and the request was using AllOrNone header",
                    null) : m);
        }
        return rolledBack;
    }

    @SuppressWarnings("unchecked")
    private static boolean anyFailed(List<Object> results) {
        return results.stream().anyMatch(r -> !Boolean.TRUE.equals(((Map<String, Object>) r).get("success")));
    }

    private static Map<String, Object> failure(String code, String message, String field) {
        return Map.of("success", false, "errors", List.of(Map.of("statusCode", code, "message", message,
                "fields", field == null ? List.of() : List.of(field))));
    }

    private static List<String> split(String list) {
        return list == null || list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::strip).toList();
    }
}
