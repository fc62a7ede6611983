package io.github.wacrm.bridge.emulator.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One answer of the emulated org's data API, a status and a JSON body, and the shapes Salesforce answers in that the
 * resources share: the error array {@code [{message, errorCode, fields}]} and a record's save result
 * {@code {id, success, errors, created}}.
 */
record SalesforceReply(int status, Object body) {

    static List<Map<String, Object>> errors(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("errorCode", code);
        error.put("fields", List.of());
        return List.of(error);
    }

    static Map<String, Object> saveResult(SalesforceOrg.Result result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", result.id());
        out.put("success", result.ok());
        out.put("errors", result.errors());
        if (result.ok()) {
            out.put("created", result.created());
        }
        return out;
    }
}
