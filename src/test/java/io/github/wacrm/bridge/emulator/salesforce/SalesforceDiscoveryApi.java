package io.github.wacrm.bridge.emulator.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What tooling asks an org before anything else: the API versions ({@code GET /services/data/}, no session needed),
 * the resources of a version ({@code GET /services/data/vNN.N/}), the org's limits ({@code GET .../limits}) and the
 * identity URL the token answer names ({@code GET /id/<org id>/<user id>}).
 */
final class SalesforceDiscoveryApi {

    private static final List<String> VERSIONS = List.of("58.0", "59.0", "60.0", "61.0", "62.0", "63.0", "64.0");

    private SalesforceDiscoveryApi() {
    }

    static List<Map<String, Object>> versions() {
        return VERSIONS.stream().map(v -> Map.<String, Object>of("label", "v" + v, "url", "/services/data/v" + v,
                "version", v)).toList();
    }

    static SalesforceReply resources(String version) {
        String base = "/services/data/" + version + "/";
        Map<String, Object> out = new LinkedHashMap<>();
        for (String resource : List.of("sobjects", "query", "queryAll", "composite", "limits", "search", "recent")) {
            out.put(resource, base + resource);
        }
        out.put("identity", "/id/" + SalesforceEmulator.ORG_ID + "/" + SalesforceEmulator.USER_ID);
        return new SalesforceReply(200, out);
    }

    static SalesforceReply limits(long used, long dailyLimit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("DailyApiRequests", Map.of("Max", dailyLimit, "Remaining", Math.max(0, dailyLimit - used)));
        out.put("DailyBulkApiBatches", Map.of("Max", 15000, "Remaining", 15000));
        out.put("DataStorageMB", Map.of("Max", 1024, "Remaining", 1024));
        out.put("HourlyPublishedPlatformEvents", Map.of("Max", 250000, "Remaining", 250000));
        return new SalesforceReply(200, out);
    }

    static SalesforceReply identity(String baseUrl, String path) {
        if (!path.equals("/id/" + SalesforceEmulator.ORG_ID + "/" + SalesforceEmulator.USER_ID)) {
            return new SalesforceReply(404, SalesforceReply.errors("NOT_FOUND", "The requested resource does not exist"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", baseUrl + path);
        out.put("asserted_user", true);
        out.put("user_id", SalesforceEmulator.USER_ID);
        out.put("organization_id", SalesforceEmulator.ORG_ID);
        out.put("username", "integration@whatsapp-bridge.example");
        out.put("nick_name", "integration");
        out.put("display_name", "WhatsApp Bridge Integration");
        out.put("email", "integration@whatsapp-bridge.example");
        out.put("active", true);
        out.put("user_type", "STANDARD");
        out.put("language", "en_US");
        out.put("locale", "en_US");
        out.put("utcOffset", 0);
        out.put("urls", Map.of("rest", baseUrl + "/services/data/v{version}/", "sobjects",
                baseUrl + "/services/data/v{version}/sobjects/", "query", baseUrl + "/services/data/v{version}/query/"));
        return new SalesforceReply(200, out);
    }
}
