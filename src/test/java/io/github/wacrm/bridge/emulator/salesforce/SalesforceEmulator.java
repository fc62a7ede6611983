package io.github.wacrm.bridge.emulator.salesforce;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-process Salesforce org speaking the REST contract camel-salesforce and the bridge use:
 * <ul>
 * <li>{@code POST /services/oauth2/token} (client credentials, JWT bearer, password, refresh token) answering with an
 * {@code id} shaped {@code .../id/<18-char org id>/<user id>}, and {@code /services/oauth2/revoke};</li>
 * <li>{@code GET /services/data/vNN.N/query?q=} (see {@link Soql});</li>
 * <li>{@code PATCH /sobjects/{Object}/{ExternalIdField}/{value}} (201 created, 200 updated, 300 several matches),
 * {@code POST /sobjects/{Object}}, {@code GET|PATCH /sobjects/{Object}/{Id}};</li>
 * <li>{@code PATCH /composite/sobjects/{Object}/{ExternalIdField}} (sObject Collections upsert, up to 200 records,
 * per-record results, allOrNone);</li>
 * <li>{@code POST /composite} (up to 25 subrequests, {@code @{ref.field}} references, allOrNone).</li>
 * </ul>
 * Errors are JSON arrays {@code [{message, errorCode, fields}]}; every data response carries
 * {@code Sforce-Limit-Info: api-usage=N/M}. Faults: expired sessions, lock errors, 503, daily limit reached, latency.
 * It knows only the objects and fields of the shipped metadata.
 */
public final class SalesforceEmulator implements AutoCloseable {

    public static final String ORG_ID = "00D000000000001EAA";
    public static final String USER_ID = "005000000000001AAA";

    private static final Pattern DATA_PATH = Pattern.compile("^/services/data/v(\\d+\\.\\d)(/.*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final SalesforceOrg org;
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> callsByOperation = new ConcurrentHashMap<>();
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong logins = new AtomicLong();
    private final AtomicInteger unavailableRequests = new AtomicInteger();
    private volatile boolean unavailable;
    private volatile boolean dailyLimitReached;
    private volatile long latencyMillis;
    private volatile long dailyApiLimit = 100_000;
    private volatile String requiredClientId;

    public SalesforceEmulator(int port, Path metadataSource) throws IOException {
        this.org = new SalesforceOrg(SalesforceSchema.fromMetadata(metadataSource));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "salesforce-emulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts the emulator on a port, reading the metadata of {@code salesforce/force-app} in the working directory. */
    public static SalesforceEmulator start(int port) {
        try {
            SalesforceEmulator emulator = new SalesforceEmulator(port, Path.of("salesforce/force-app"));
            emulator.server.start();
            return emulator;
        } catch (IOException e) {
            throw new IllegalStateException("Salesforce emulator could not listen on port " + port, e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public SalesforceOrg org() {
        return org;
    }

    // ---- checks for tests --------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> query(String soql) {
        return (List<Map<String, Object>>) Soql.execute(org, soql).get("records");
    }

    /** Data API calls served (login and revoke not included). */
    public long apiCalls() {
        return apiCalls.get();
    }

    public Map<String, Long> callsByOperation() {
        Map<String, Long> copy = new LinkedHashMap<>();
        callsByOperation.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public long logins() {
        return logins.get();
    }

    // ---- faults ------------------------------------------------------------------------------------------------

    /** Every session issued so far becomes invalid: the next data call gets 401 INVALID_SESSION_ID. */
    public void expireSessions() {
        validTokens.clear();
    }

    /** Data calls answer 503 until {@link #recover()}. */
    public void goDown() {
        unavailable = true;
    }

    /** The next {@code count} data calls answer 503. */
    public void failNextRequests(int count) {
        unavailableRequests.set(count);
    }

    /** Data calls answer 403 REQUEST_LIMIT_EXCEEDED until {@link #recover()}. */
    public void exhaustDailyLimit() {
        dailyLimitReached = true;
    }

    public void recover() {
        unavailable = false;
        dailyLimitReached = false;
        unavailableRequests.set(0);
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** Token requests must name this client id (null: any credentials are accepted). */
    public void requireClientId(String clientId) {
        requiredClientId = clientId;
    }

    public void resetCounters() {
        apiCalls.set(0);
        logins.set(0);
        callsByOperation.clear();
    }

    /** Empties the org and clears faults and validation rules. */
    public void reset() {
        recover();
        latencyMillis = 0;
        org.reset();
        resetCounters();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP --------------------------------------------------------------------------------------------------

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            String path = http.getRequestURI().getRawPath();
            byte[] body = http.getRequestBody().readAllBytes();
            if (path.equals("/services/oauth2/token")) {
                token(http, new String(body, StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/services/oauth2/revoke")) {
                Map<String, String> form = form(new String(body, StandardCharsets.UTF_8) + "&"
                        + (http.getRequestURI().getRawQuery() == null ? "" : http.getRequestURI().getRawQuery()));
                validTokens.remove(form.get("token"));
                send(http, 200, null);
                return;
            }
            Matcher data = DATA_PATH.matcher(path);
            if (!data.matches()) {
                send(http, 404, errors("NOT_FOUND", "The requested resource does not exist"));
                return;
            }
            String auth = http.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
                send(http, 401, errors("INVALID_SESSION_ID", "Session expired or invalid"));
                return;
            }
            pause();
            long used = apiCalls.incrementAndGet();
            http.getResponseHeaders().add("Sforce-Limit-Info", "api-usage=" + used + "/" + dailyApiLimit);
            if (unavailable || unavailableRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                count("unavailable");
                send(http, 503, errors("SERVER_UNAVAILABLE", "Service Unavailable"));
                return;
            }
            if (dailyLimitReached) {
                count("limit_exceeded");
                send(http, 403, errors("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
                return;
            }
            String rest = data.group(2) == null ? "/" : data.group(2);
            Reply reply = dispatch(http.getRequestMethod(), rest, http.getRequestURI().getRawQuery(), body);
            send(http, reply.status(), reply.body());
        } catch (Throwable e) {
            e.printStackTrace();
            send(http, 500, errors("UNKNOWN_EXCEPTION", "emulator: " + e));
        }
    }

    private record Reply(int status, Object body) {
    }

    private Reply dispatch(String method, String rest, String rawQuery, byte[] body) {
        String[] parts = rest.substring(1).split("/");
        try {
            if (parts[0].equals("query") && method.equals("GET")) {
                count("query");
                String soql = form(rawQuery == null ? "" : rawQuery).get("q");
                return new Reply(200, Soql.execute(org, soql));
            }
            if (parts[0].equals("composite") && parts.length == 1 && method.equals("POST")) {
                count("composite");
                return composite(body);
            }
            if (parts[0].equals("composite") && parts.length == 4 && parts[1].equals("sobjects") && method.equals("PATCH")) {
                count("collections_upsert");
                return collectionsUpsert(parts[2], parts[3], body);
            }
            if (parts[0].equals("sobjects")) {
                count("sobject_" + method.toLowerCase());
                return sobject(method, parts, body);
            }
        } catch (Soql.MalformedQueryException e) {
            return new Reply(400, errors("MALFORMED_QUERY", e.getMessage()));
        } catch (IOException e) {
            return new Reply(400, errors("JSON_PARSER_ERROR", "The request body is not valid JSON: " + e.getMessage()));
        }
        return new Reply(404, errors("NOT_FOUND", "The requested resource does not exist"));
    }

    private Reply sobject(String method, String[] parts, byte[] body) throws IOException {
        String object = parts.length > 1 ? segment(parts[1]) : null;
        if (parts.length == 4 && method.equals("PATCH")) {
            SalesforceOrg.Result result = org.upsert(object, segment(parts[2]), segment(parts[3]), map(body));
            if (!result.ok()) {
                return new Reply(result.status(), restErrors(result));
            }
            return new Reply(result.created() ? 201 : 200, saveResult(result));
        }
        if (parts.length == 2 && method.equals("POST")) {
            SalesforceOrg.Result result = org.create(object, map(body));
            return result.ok() ? new Reply(201, saveResult(result)) : new Reply(result.status(), restErrors(result));
        }
        if (parts.length == 3 && method.equals("PATCH")) {
            SalesforceOrg.Result result = org.update(object, segment(parts[2]), map(body));
            return result.ok() ? new Reply(204, null) : new Reply(result.status(), restErrors(result));
        }
        if (parts.length == 3 && method.equals("GET")) {
            return org.get(object, segment(parts[2])).map(r -> new Reply(200, (Object) r))
                    .orElse(new Reply(404, errors("NOT_FOUND", "The requested resource does not exist")));
        }
        return new Reply(405, errors("METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed."));
    }

    @SuppressWarnings("unchecked")
    private Reply collectionsUpsert(String object, String externalIdField, byte[] body) throws IOException {
        Map<String, Object> request = map(body);
        List<Map<String, Object>> records = (List<Map<String, Object>>) request.getOrDefault("records", List.of());
        boolean allOrNone = Boolean.TRUE.equals(request.get("allOrNone"));
        if (records.size() > 200) {
            return new Reply(400, errors("EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records into this call"));
        }
        if (org.schema().object(object).isEmpty()) {
            return new Reply(404, errors("NOT_FOUND", "The requested resource does not exist"));
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
        return new Reply(200, results);
    }

    @SuppressWarnings("unchecked")
    private Reply composite(byte[] body) throws IOException {
        Map<String, Object> request = map(body);
        List<Map<String, Object>> subrequests = (List<Map<String, Object>>) request.getOrDefault("compositeRequest",
                List.of());
        if (subrequests.size() > 25) {
            return new Reply(400, errors("INVALID_API_INPUT", "Composite API: no more than 25 subrequests"));
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
            Matcher m = DATA_PATH.matcher(url.contains("?") ? url.substring(0, url.indexOf('?')) : url);
            if (!m.matches()) {
                responses.add(subResponse(400, errors("INVALID_API_INPUT", "bad url " + url), referenceId));
                failed = true;
                continue;
            }
            String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
            byte[] subBody = sub.get("body") == null ? new byte[0]
                    : substitute(JSON.writeValueAsString(sub.get("body")), references).getBytes(StandardCharsets.UTF_8);
            Reply reply = dispatch((String) sub.get("method"), m.group(2), query, subBody);
            if (reply.status() >= 400) {
                failed = true;
            } else if (reply.body() instanceof Map<?, ?> result) {
                references.put(referenceId, result);
            }
            responses.add(subResponse(reply.status(), reply.body(), referenceId));
        }
        return new Reply(200, Map.of("compositeResponse", responses));
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

    private void token(HttpExchange http, String body) throws IOException {
        Map<String, String> form = form(body);
        String grant = form.getOrDefault("grant_type", "");
        boolean known = Set.of("client_credentials", "password", "refresh_token",
                "urn:ietf:params:oauth:grant-type:jwt-bearer").contains(grant);
        if (!known) {
            send(http, 400, Map.of("error", "unsupported_grant_type", "error_description", "grant type not supported"));
            return;
        }
        if (requiredClientId != null && !requiredClientId.equals(form.get("client_id"))) {
            send(http, 400, Map.of("error", "invalid_client_id", "error_description", "client identifier invalid"));
            return;
        }
        logins.incrementAndGet();
        String token = ORG_ID + "!" + UUID.randomUUID().toString().replace("-", "");
        validTokens.add(token);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", token);
        response.put("instance_url", baseUrl());
        response.put("id", baseUrl() + "/id/" + ORG_ID + "/" + USER_ID);
        response.put("token_type", "Bearer");
        response.put("issued_at", String.valueOf(System.currentTimeMillis()));
        response.put("signature", "emulated");
        send(http, 200, response);
    }

    private void count(String operation) {
        callsByOperation.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    private void pause() {
        long millis = latencyMillis;
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, Object> saveResult(SalesforceOrg.Result result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", result.id());
        out.put("success", result.ok());
        out.put("errors", result.errors());
        if (result.ok()) {
            out.put("created", result.created());
        }
        return out;
    }

    /** Single-record REST errors use errorCode; collection results use statusCode, as Salesforce does. */
    private static List<Map<String, Object>> restErrors(SalesforceOrg.Result result) {
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

    private static List<Map<String, Object>> errors(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("errorCode", code);
        error.put("fields", List.of());
        return List.of(error);
    }

    private static Map<String, Object> map(byte[] body) throws IOException {
        if (body.length == 0) {
            return new LinkedHashMap<>();
        }
        return JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            form.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return form;
    }

    /** Form and query values: '+' is a space. */
    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** Path segments: '+' is itself (an E.164 external id). */
    private static String segment(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange http, int status, Object body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        if (bytes.length > 0) {
            http.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        }
        http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
