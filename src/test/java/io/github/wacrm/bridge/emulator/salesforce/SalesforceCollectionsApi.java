package io.github.wacrm.bridge.emulator.salesforce;

import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.errors;
import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.saveResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sObject Collections upsert, {@code PATCH /services/data/vNN.N/composite/sobjects/{Object}/{ExternalIdField}}: up
 * to 200 records of one object, a save result per record (errors name {@code statusCode}), allOrNone.
 */
final class SalesforceCollectionsApi {

    private final SalesforceOrg org;

    SalesforceCollectionsApi(SalesforceOrg org) {
        this.org = org;
    }

    @SuppressWarnings("unchecked")
    SalesforceReply upsert(String object, String externalIdField, byte[] body) throws IOException {
        Map<String, Object> request = SalesforceEmulator.map(body);
        List<Map<String, Object>> records = (List<Map<String, Object>>) request.getOrDefault("records", List.of());
        boolean allOrNone = Boolean.TRUE.equals(request.get("allOrNone"));
        if (records.size() > 200) {
            return new SalesforceReply(400, errors("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records into this call"));
        }
        if (org.schema().object(object).isEmpty()) {
            return new SalesforceReply(404, errors("NOT_FOUND", "The requested resource does not exist"));
        }
        List<Object> results = new ArrayList<>();
        boolean failed = false;
        for (Map<String, Object> record : records) {
            Map<String, Object> attributes = (Map<String, Object>) record.get("attributes");
            if (attributes == null || !object.equals(attributes.get("type"))) {
                results.add(Map.of("success", false, "errors", List.of(Map.of("statusCode", "INVALID_TYPE",
                        "message", "Record type in attributes must be " + object, "fields", List.of()))));
                failed = true;
                continue;
            }
            Object value = record.get(externalIdField);
            SalesforceOrg.Result result = org.upsert(object, externalIdField, value == null ? null : value.toString(),
                    record);
            failed |= !result.ok();
            results.add(saveResult(result));
        }
        if (allOrNone && failed) {
            // Salesforce rolls the whole call back; the emulator reports it the same way (earlier writes are kept,
            // which only matters to callers that rely on allOrNone, and the bridge does not)
            List<Object> rolledBack = new ArrayList<>();
            for (Object r : results) {
                Map<String, Object> m = (Map<String, Object>) r;
                rolledBack.add(Boolean.TRUE.equals(m.get("success"))
                        ? Map.of("success", false, "errors", List.of(Map.of("statusCode", "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                "message", "Record rolled back because not all records were valid and the request was "
                                        + "using AllOrNone header", "fields", List.of())))
                        : m);
            }
            results = rolledBack;
        }
        return new SalesforceReply(200, results);
    }
}
