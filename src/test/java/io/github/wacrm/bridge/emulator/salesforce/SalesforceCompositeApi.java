package io.github.wacrm.bridge.emulator.salesforce;

import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.errors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The composite resource, {@code POST /services/data/vNN.N/composite}: up to 25 subrequests served in order by the
 * data API, {@code @{ref.field}} references to earlier results in their urls and bodies, allOrNone (the rest halted
 * after a failure).
 */
final class SalesforceCompositeApi {

    /** The data API a subrequest goes to: its method, API version (v62.0), path below the version, raw query, body. */
    @FunctionalInterface
    interface DataApi {
        SalesforceReply serve(String method, String version, String rest, String rawQuery, byte[] body);
    }

    private final DataApi data;

    SalesforceCompositeApi(DataApi data) {
        this.data = data;
    }

    @SuppressWarnings("unchecked")
    SalesforceReply reply(byte[] body) throws IOException {
        Map<String, Object> request = SalesforceEmulator.map(body);
        List<Map<String, Object>> subrequests = (List<Map<String, Object>>) request.getOrDefault("compositeRequest",
                List.of());
        if (subrequests.size() > 25) {
            return new SalesforceReply(400, errors("INVALID_API_INPUT", "Composite API: no more than 25 subrequests"));
        }
        boolean allOrNone = Boolean.TRUE.equals(request.get("allOrNone"));
        Map<String, Object> references = new LinkedHashMap<>();
        List<Object> responses = new ArrayList<>();
        boolean failed = false;
        for (Map<String, Object> sub : subrequests) {
            String referenceId = (String) sub.get("referenceId");
            if (failed && allOrNone) {
                responses.add(subResponse(400, errors("PROCESSING_HALTED",
                        "The transaction was rolled back since another operation in the same transaction failed."), referenceId));
                continue;
            }
            String url = substitute((String) sub.get("url"), references);
            Matcher m = SalesforceEmulator.DATA_PATH.matcher(url.contains("?") ? url.substring(0, url.indexOf('?')) : url);
            if (!m.matches()) {
                responses.add(subResponse(400, errors("INVALID_API_INPUT", "bad url " + url), referenceId));
                failed = true;
                continue;
            }
            String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
            byte[] subBody = sub.get("body") == null ? new byte[0]
                    : substitute(SalesforceEmulator.JSON.writeValueAsString(sub.get("body")), references)
                            .getBytes(StandardCharsets.UTF_8);
            SalesforceReply reply = data.serve((String) sub.get("method"), "v" + m.group(1), m.group(2), query, subBody);
            if (reply.status() >= 400) {
                failed = true;
            } else if (reply.body() instanceof Map<?, ?> result) {
                references.put(referenceId, result);
            }
            responses.add(subResponse(reply.status(), reply.body(), referenceId));
        }
        return new SalesforceReply(200, Map.of("compositeResponse", responses));
    }

    private static Map<String, Object> subResponse(int status, Object body, String referenceId) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("body", body);
        response.put("httpHeaders", Map.of());
        response.put("httpStatusCode", status);
        response.put("referenceId", referenceId);
        return response;
    }

    @SuppressWarnings("unchecked")
    private static String substitute(String text, Map<String, Object> references) {
        Matcher m = Pattern.compile("@\\{(\\w+)\\.([\\w.]+)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object ref = references.get(m.group(1));
            Object value = ref instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(m.group(2)) : null;
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
