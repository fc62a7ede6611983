package io.github.wacrm.bridge.emulator.salesforce;

import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.errors;
import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.saveResult;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sObject resource, {@code /services/data/vNN.N/sobjects/...}: {@code PATCH /{Object}/{ExternalIdField}/{value}}
 * (201 created, 200 updated, 300 several matches), {@code POST /{Object}}, {@code GET|PATCH /{Object}/{Id}}; its errors
 * name {@code errorCode}.
 */
final class SalesforceSObjectsApi {

    private final SalesforceOrg org;

    SalesforceSObjectsApi(SalesforceOrg org) {
        this.org = org;
    }

    /** {@code parts}: the path below the API version, split at '/', starting with "sobjects". */
    SalesforceReply reply(String method, String[] parts, byte[] body) throws IOException {
        String object = parts.length > 1 ? segment(parts[1]) : null;
        if (parts.length == 4 && method.equals("PATCH")) {
            SalesforceOrg.Result result = org.upsert(object, segment(parts[2]), segment(parts[3]),
                    SalesforceEmulator.map(body));
            if (!result.ok()) {
                return new SalesforceReply(result.status(), restErrors(result));
            }
            return new SalesforceReply(result.created() ? 201 : 200, saveResult(result));
        }
        if (parts.length == 2 && method.equals("POST") && object.endsWith("__e")) {
            return publishEvent(object, SalesforceEmulator.map(body));
        }
        if (parts.length == 2 && method.equals("POST")) {
            SalesforceOrg.Result result = org.create(object, SalesforceEmulator.map(body));
            return result.ok() ? new SalesforceReply(201, saveResult(result))
                    : new SalesforceReply(result.status(), restErrors(result));
        }
        if (parts.length == 3 && method.equals("PATCH")) {
            SalesforceOrg.Result result = org.update(object, segment(parts[2]), SalesforceEmulator.map(body));
            return result.ok() ? new SalesforceReply(204, null) : new SalesforceReply(result.status(), restErrors(result));
        }
        if (parts.length == 3 && method.equals("DELETE")) {
            return org.delete(object, segment(parts[2])) ? new SalesforceReply(204, null)
                    : new SalesforceReply(404, errors("ENTITY_IS_DELETED", "entity is deleted"));
        }
        if (parts.length == 3 && method.equals("GET")) {
            return org.get(object, segment(parts[2])).map(r -> new SalesforceReply(200, (Object) r))
                    .orElse(new SalesforceReply(404, errors("NOT_FOUND", "The requested resource does not exist")));
        }
        return new SalesforceReply(405, errors("METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed."));
    }

    /**
     * A platform event published over REST, as Salesforce answers it: 201 with an {@code e00…} id, and for a
     * high-volume event the {@code OPERATION_ENQUEUED} "error" whose message is the event's EventUuid.
     */
    private SalesforceReply publishEvent(String object, Map<String, Object> fields) {
        SalesforceOrg.Result check = org.checkEvent(object, fields);
        if (!check.ok()) {
            return new SalesforceReply(check.status(), restErrors(check));
        }
        String eventUuid = org.events().publish(object, fields);
        Map<String, Object> enqueued = new LinkedHashMap<>();
        enqueued.put("statusCode", "OPERATION_ENQUEUED");
        enqueued.put("message", eventUuid);
        enqueued.put("fields", List.of());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", "e00" + String.format("%015d", org.events().latestReplayId()));
        out.put("success", true);
        out.put("errors", List.of(enqueued));
        return new SalesforceReply(201, out);
    }

    /** Single-record REST errors use errorCode; collection results use statusCode, as Salesforce does. */
    static List<Map<String, Object>> restErrors(SalesforceOrg.Result result) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> error : result.errors()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("message", error.get("message"));
            e.put("errorCode", error.get("statusCode"));
            e.put("fields", error.get("fields"));
            out.add(e);
        }
        return out;
    }

    /** Path segments: '+' is itself (an E.164 external id). */
    private static String segment(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
