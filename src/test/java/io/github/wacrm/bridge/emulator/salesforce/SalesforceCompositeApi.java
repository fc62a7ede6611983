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
    private final SalesforceOrg org;

    SalesforceCompositeApi(DataApi data, SalesforceOrg org) {
        this.data = data;
        this.org = org;
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
        // with allOrNone one failed subrequest rolls every write of the call back
        List<Object> responses = org.transaction(() -> serve(subrequests, allOrNone), out -> allOrNone && failed(out));
        return new SalesforceReply(200, Map.of("compositeResponse", responses));
    }

    @SuppressWarnings("unchecked")
    private List<Object> serve(List<Map<String, Object>> subrequests, boolean allOrNone) {
        Map<String, Object> references = new LinkedHashMap<>();
        List<Object> responses = new ArrayList<>();
        boolean failed = false;
        for (Map<String, Object> sub : subrequests) {
            String referenceId = (String) sub.get("referenceId");
            if (failed && allOrNone) {
                responses.add(halted(referenceId));
                continue;
            }
            String url = substitute((String) sub.get("url"), references);
            Matcher m = SalesforceEmulator.DATA_PATH.matcher(url.contains("?") ? url.substring(0, url.indexOf('?')) : url);
            if (!m.matches()) {
                responses.add(subResponse(400, errors("INVALID_API_INPUT", "bad url " + url), referenceId, Map.of()));
                failed = true;
                continue;
            }
            String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
            byte[] subBody;
            try {
                subBody = sub.get("body") == null ? new byte[0]
                        : substitute(SalesforceEmulator.JSON.writeValueAsString(sub.get("body")), references)
                                .getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            String version = "v" + m.group(1);
            SalesforceReply reply = data.serve((String) sub.get("method"), version, m.group(2), query, subBody);
            Map<String, Object> headers = Map.of();
            if (reply.status() >= 400) {
                failed = true;
            } else if (reply.body() instanceof Map<?, ?> result) {
                references.put(referenceId, result);
                String[] parts = m.group(2) == null ? new String[0] : m.group(2).substring(1).split("/");
                if (reply.status() == 201 && result.get("id") != null && parts.length > 1 && parts[0].equals("sobjects")) {
                    headers = Map.of("Location", "/services/data/" + version + "/sobjects/" + parts[1] + "/" + result.get("id"));
                }
            }
            responses.add(subResponse(reply.status(), reply.body(), referenceId, headers));
        }
        if (failed && allOrNone) {
            // what had succeeded is rolled back too, and answered so
            for (int i = 0; i < responses.size(); i++) {
                Map<String, Object> response = (Map<String, Object>) responses.get(i);
                if ((Integer) response.get("httpStatusCode") < 400) {
                    responses.set(i, halted((String) response.get("referenceId")));
                }
            }
        }
        return responses;
    }

    @SuppressWarnings("unchecked")
    private static boolean failed(List<Object> responses) {
        return responses.stream().anyMatch(r -> (Integer) ((Map<String, Object>) r).get("httpStatusCode") >= 400);
    }

    private static Map<String, Object> halted(String referenceId) {
        return subResponse(400, errors("PROCESSING_HALTED",
                "The transaction was rolled back since another operation in the same transaction failed."), referenceId,
                Map.of());
    }

    private static Map<String, Object> subResponse(int status, Object body, String referenceId, Map<String, Object> headers) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("body", body);
        response.put("httpHeaders", headers);
        response.put("httpStatusCode", status);
        response.put("referenceId", referenceId);
        return response;
    }

    /** {@code @{ref.field}} and paths into results, {@code @{q.records[0].Id}}, as Salesforce resolves them. */
    private static String substitute(String text, Map<String, Object> references) {
        Matcher m = Pattern.compile("@\\{(\\w+)\\.([\\w.\\[\\]]+)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = references.get(m.group(1));
            for (String segment : m.group(2).split("\\.")) {
                Matcher indexed = Pattern.compile("(\\w+)((?:\\[\\d+])*)").matcher(segment);
                if (!indexed.matches()) {
                    value = null;
                    break;
                }
                value = value instanceof Map<?, ?> map ? map.get(indexed.group(1)) : null;
                Matcher index = Pattern.compile("\\[(\\d+)]").matcher(indexed.group(2));
                while (index.find()) {
                    int at = Integer.parseInt(index.group(1));
                    value = value instanceof List<?> list && at < list.size() ? list.get(at) : null;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
