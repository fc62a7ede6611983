package io.github.wacrm.bridge.emulator.hubspot;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchAnswer;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchRefused;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;

/**
 * An in-process HubSpot portal speaking the REST contract the bridge uses, under both {@code /crm/v3/...} (and
 * {@code /crm/v4/associations}) and the date-versioned paths ({@code /crm/objects/2026-03/...}):
 * <ul>
 * <li>private-app token check ({@code Authorization: Bearer}); 401 INVALID_AUTHENTICATION, 403 MISSING_SCOPES;</li>
 * <li>properties API: list, read, create (unique values), property groups;</li>
 * <li>objects (contacts, communications, notes, tickets): create, read, update, batch create / read / update /
 * upsert (on a unique {@code idProperty}), search;</li>
 * <li>v4 associations: batch create and batch read;</li>
 * <li>answers 200/201, 207 with per-input {@code errors}, 400/404/409 error bodies, and on every answer the
 * {@code X-HubSpot-RateLimit-*} headers; past the portal's budget, 429 with {@code policyName}
 * TEN_SECONDLY_ROLLING or DAILY (search: SECONDLY, 5 per second).</li>
 * </ul>
 * Faults: 429 bursts, daily limit spent, 5xx, latency, refused token, missing scopes, validation rules. Every API call
 * is logged with its arrival time, so tests can check the bridge never went over its budget.
 */
public final class HubSpotEmulator implements AutoCloseable {

    public static final String DEV_TOKEN = "dev-hubspot-token";
    private static final Pattern OBJECTS = Pattern.compile("^/crm/(?:v3/objects|objects/\\d{4}-\\d{2})/([^/]+)(/.*)?$");
    private static final Pattern PROPERTIES = Pattern.compile(
            "^/crm/(?:v3/properties|properties/\\d{4}-\\d{2})/([^/]+)(/.*)?$");
    private static final Pattern ASSOCIATIONS = Pattern.compile(
            "^/crm/(?:v4/associations|associations/\\d{4}-\\d{2})/([^/]+)/([^/]+)/batch/(create|read)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One API call as the portal saw it. */
    public record Call(long atMillis, String method, String endpoint, int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final HubSpotPortal portal = new HubSpotPortal();
    private final List<Call> calls = new ArrayList<>();
    private final Deque<Long> window = new ArrayDeque<>();
    private final Deque<Long> searchWindow = new ArrayDeque<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicLong dailyUsed = new AtomicLong();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;
    /** Only calls whose path ends with this fail (null: any call). */
    private volatile String failPath;
    private volatile boolean down;
    private volatile boolean dailyLimitSpent;
    private volatile boolean refuseToken;
    private volatile boolean missingScopes;
    private volatile long latencyMillis;
    private volatile String token;
    private volatile int maxPerWindow = 100;
    private volatile long windowMillis = 10_000;
    private volatile long dailyLimit = 250_000;

    private HubSpotEmulator(int port, String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "hubspot-emulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts a portal on {@code port} (0: any free port) that accepts only {@code token}, or any token when null. */
    public static HubSpotEmulator start(int port, String token) {
        try {
            HubSpotEmulator emulator = new HubSpotEmulator(port, token);
            emulator.server.start();
            return emulator;
        } catch (IOException e) {
            throw new IllegalStateException("HubSpot emulator could not listen on port " + port, e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public HubSpotPortal portal() {
        return portal;
    }

    // ---- checks for tests ----------------------------------------------------------------------------------------

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The most API calls that arrived within any {@code windowMs} (rolling). */
    public synchronized int maxCallsInAnyWindow(long windowMs) {
        List<Call> calls = new ArrayList<>(this.calls);
        calls.sort(java.util.Comparator.comparingLong(Call::atMillis));
        int max = 0;
        int from = 0;
        for (int to = 0; to < calls.size(); to++) {
            while (calls.get(to).atMillis() - calls.get(from).atMillis() >= windowMs) {
                from++;
            }
            max = Math.max(max, to - from + 1);
        }
        return max;
    }

    /** Answers by status class and endpoint, e.g. {@code 429}, {@code 207}. */
    public Map<String, Long> answers() {
        Map<String, Long> copy = new LinkedHashMap<>();
        answers.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public long answers(int status) {
        AtomicLong count = answers.get(String.valueOf(status));
        return count == null ? 0 : count.get();
    }

    public synchronized void clearCalls() {
        calls.clear();
        answers.clear();
    }

    // ---- configuration and faults --------------------------------------------------------------------------------

    /** The portal's budget: requests per rolling window (HubSpot: 100 or 190 per 10 s) and per day; a new window. */
    public synchronized void budget(int requests, long windowMs, long perDay) {
        window.clear();
        this.maxPerWindow = requests;
        this.windowMillis = windowMs;
        this.dailyLimit = perDay;
    }

    /** The next {@code count} calls answer 429 TEN_SECONDLY_ROLLING (another app of the portal used the budget). */
    public void throttleNext(int count) {
        throttleNext.set(count);
    }

    /** Calls answer 429 DAILY until {@link #recover()}. */
    public void spendDailyLimit() {
        dailyLimitSpent = true;
    }

    /** The next {@code count} calls answer {@code status} (5xx). */
    public void failNext(int count, int status) {
        failNext(null, count, status);
    }

    /** The next {@code count} calls whose path ends with {@code pathEnding} answer {@code status} (5xx). */
    public void failNext(String pathEnding, int count, int status) {
        failStatus = status;
        failPath = pathEnding;
        failNext.set(count);
    }

    /** Calls answer 503 until {@link #recover()}. */
    public void goDown() {
        down = true;
    }

    /** Every token is refused (401) until {@link #recover()}. */
    public void refuseToken() {
        refuseToken = true;
    }

    /** The token lacks a scope (403) until {@link #recover()}. */
    public void dropScopes() {
        missingScopes = true;
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    public void recover() {
        down = false;
        dailyLimitSpent = false;
        refuseToken = false;
        missingScopes = false;
        throttleNext.set(0);
        failNext.set(0);
        failPath = null;
        dailyUsed.set(0);
        latencyMillis = 0;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long arrived = System.currentTimeMillis();
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] request = exchange.getRequestBody().readAllBytes();
            Answer answer = answer(exchange, method, path, request);
            record(arrived, method, path, answer.status);
            byte[] body = answer.body == null ? new byte[0] : JSON.writeValueAsBytes(answer.body);
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
            exchange.sendResponseHeaders(answer.status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private record Answer(int status, Object body) {
    }

    private Answer answer(HttpExchange exchange, String method, String path, byte[] request) {
        if (latencyMillis > 0) {
            sleep(latencyMillis);
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String presented = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).trim()
                : null;
        if (refuseToken || presented == null || presented.isEmpty() || (token != null && !token.equals(presented))) {
            return new Answer(401, error("INVALID_AUTHENTICATION", "Authentication credentials not found. This API "
                    + "supports OAuth 2.0 authentication and you can find more details at "
                    + "https://developers.hubspot.com/docs/methods/auth/oauth-overview", Map.of()));
        }
        if (missingScopes) {
            Map<String, Object> body = error("MISSING_SCOPES", "This app hasn't been granted all required scopes to "
                    + "make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
                    Map.of());
            body.put("errors", List.of(Map.of("message", "One or more of the following scopes are required.",
                    "context", Map.of("requiredGranularScopes", List.of("crm.objects.contacts.write")))));
            return new Answer(403, body);
        }
        boolean search = path.endsWith("/search");
        Answer limited = rateLimit(exchange, search);
        if (limited != null) {
            return limited;
        }
        String onlyPath = failPath;
        boolean failThis = (onlyPath == null || path.endsWith(onlyPath))
                && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (down || failThis) {
            int status = down ? 503 : failStatus;
            return new Answer(status, error("INTERNAL_ERROR", "internal error", Map.of()));
        }
        try {
            Matcher m;
            if ((m = ASSOCIATIONS.matcher(path)).matches()) {
                return associations(m.group(1), m.group(2), m.group(3), request);
            }
            if ((m = PROPERTIES.matcher(path)).matches()) {
                return properties(method, m.group(1), m.group(2), request);
            }
            if ((m = OBJECTS.matcher(path)).matches()) {
                return objects(method, m.group(1), m.group(2), query(exchange), request);
            }
            return new Answer(404, error("OBJECT_NOT_FOUND", "Not found: " + path, Map.of()));
        } catch (BatchRefused refused) {
            Failure f = refused.failure();
            return new Answer(f.status(), error(f.category(), f.message(), f.context()));
        } catch (IOException | RuntimeException bad) {
            return new Answer(400, error("VALIDATION_ERROR", "Invalid input JSON: " + bad.getMessage(), Map.of()));
        }
    }

    /** Counts the call against the budget; answers 429 when it is spent, and sets the rate-limit headers. */
    private synchronized Answer rateLimit(HttpExchange exchange, boolean search) {
        long now = System.currentTimeMillis();
        while (!window.isEmpty() && window.peekFirst() <= now - windowMillis) {
            window.pollFirst();
        }
        while (!searchWindow.isEmpty() && searchWindow.peekFirst() <= now - 1000) {
            searchWindow.pollFirst();
        }
        String policy = null;
        if (dailyLimitSpent || dailyUsed.get() >= dailyLimit) {
            policy = "DAILY";
        } else if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || window.size() >= maxPerWindow) {
            policy = "TEN_SECONDLY_ROLLING";
        } else if (search && searchWindow.size() >= 5) {
            policy = "SECONDLY";
        }
        if (policy == null) {
            window.addLast(now);
            if (search) {
                searchWindow.addLast(now);
            }
            dailyUsed.incrementAndGet();
        }
        var headers = exchange.getResponseHeaders();
        headers.set("X-HubSpot-RateLimit-Daily", String.valueOf(dailyLimit));
        headers.set("X-HubSpot-RateLimit-Daily-Remaining", String.valueOf(Math.max(0, dailyLimit - dailyUsed.get())));
        headers.set("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(windowMillis));
        headers.set("X-HubSpot-RateLimit-Max", String.valueOf(maxPerWindow));
        headers.set("X-HubSpot-RateLimit-Remaining", String.valueOf(Math.max(0, maxPerWindow - window.size())));
        headers.set("X-HubSpot-RateLimit-Secondly", String.valueOf(Math.max(1, maxPerWindow / 10)));
        headers.set("X-HubSpot-RateLimit-Secondly-Remaining", String.valueOf(Math.max(0, maxPerWindow / 10
                - (int) window.stream().filter(t -> t > now - 1000).count())));
        if (policy == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", "You have reached your " + policy.toLowerCase().replace('_', '-') + " limit.");
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("policyName", policy);
        body.put("groupName", "publicapi:private-app:emulated");
        return new Answer(429, body);
    }

    @SuppressWarnings("unchecked")
    private Answer objects(String method, String rawType, String rest, Map<String, String> query, byte[] request)
            throws IOException {
        String type = HubSpotPortal.canonicalType(rawType);
        if (type == null) {
            return new Answer(400, error("VALIDATION_ERROR", "Unable to infer object type from: " + rawType, Map.of()));
        }
        rest = rest == null ? "" : rest;
        Map<String, Object> body = request.length == 0 ? Map.of() : JSON.readValue(request, new TypeReference<>() {
        });
        List<Map<String, Object>> inputs = (List<Map<String, Object>>) body.getOrDefault("inputs", List.of());
        if (rest.startsWith("/batch/") && inputs.size() > 100) {
            return new Answer(400, error("VALIDATION_ERROR", "Batch input size " + inputs.size()
                    + " exceeds the limit of 100", Map.of()));
        }
        switch (method + " " + rest) {
            case "POST /batch/upsert":
                return batch(portal.batchUpsert(type, inputs), 200);
            case "POST /batch/create":
                return batch(portal.batchCreate(type, inputs), 201);
            case "POST /batch/update":
                return batch(portal.batchUpdate(type, inputs, (String) body.get("idProperty")), 200);
            case "POST /batch/read": {
                List<String> ids = inputs.stream().map(i -> String.valueOf(i.get("id"))).toList();
                return batch(portal.batchRead(type, ids, (List<String>) body.getOrDefault("properties", List.of()),
                        (String) body.get("idProperty")), 200);
            }
            case "POST /search":
                return new Answer(200, portal.search(type, body));
            case "POST ":
                return single(portal.create(type, body), 201);
            default:
                break;
        }
        if (rest.matches("^/[^/]+$")) {
            String id = URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8);
            String idProperty = query.get("idProperty");
            if ("GET".equals(method)) {
                List<String> wanted = query.containsKey("properties") ? List.of(query.get("properties").split(","))
                        : List.of();
                Map<String, Object> found = portal.get(type, id, idProperty, wanted);
                return found == null ? new Answer(404, error("OBJECT_NOT_FOUND", "resource not found", Map.of()))
                        : new Answer(200, found);
            }
            if ("PATCH".equals(method)) {
                return single(portal.update(type, id, idProperty, body), 200);
            }
        }
        return new Answer(405, error("VALIDATION_ERROR", method + " " + rest + " is not supported", Map.of()));
    }

    private Answer properties(String method, String rawType, String rest, byte[] request) throws IOException {
        String type = HubSpotPortal.canonicalType(rawType);
        if (type == null) {
            return new Answer(400, error("VALIDATION_ERROR", "Unable to infer object type from: " + rawType, Map.of()));
        }
        rest = rest == null ? "" : rest;
        Map<String, Object> body = request.length == 0 ? Map.of() : JSON.readValue(request, new TypeReference<>() {
        });
        if (rest.isEmpty() && "GET".equals(method)) {
            return new Answer(200, Map.of("results", portal.properties(type).stream().map(this::property).toList()));
        }
        if (rest.isEmpty() && "POST".equals(method)) {
            HubSpotPortal.Property property = new HubSpotPortal.Property((String) body.get("name"),
                    (String) body.get("label"), (String) body.get("type"), (String) body.get("fieldType"),
                    (String) body.get("groupName"), Boolean.TRUE.equals(body.get("hasUniqueValue")), true, List.of());
            Failure failure = portal.createProperty(type, property);
            return failure != null ? failure(failure) : new Answer(201, property(property));
        }
        if (rest.equals("/groups") && "POST".equals(method)) {
            Failure failure = portal.createGroup(type, (String) body.get("name"));
            return failure != null ? failure(failure) : new Answer(201, Map.of("name", body.get("name"), "label",
                    body.getOrDefault("label", ""), "displayOrder", body.getOrDefault("displayOrder", -1),
                    "archived", false));
        }
        if (rest.equals("/groups") && "GET".equals(method)) {
            return new Answer(200, Map.of("results", portal.groups(type).stream().map(g -> Map.of("name", g)).toList()));
        }
        if (rest.matches("^/[a-z0-9_]+$") && "GET".equals(method)) {
            HubSpotPortal.Property property = portal.property(type, rest.substring(1));
            return property == null ? new Answer(404, error("OBJECT_NOT_FOUND", "Unable to find property "
                    + rest.substring(1), Map.of())) : new Answer(200, property(property));
        }
        return new Answer(405, error("VALIDATION_ERROR", method + " " + rest + " is not supported", Map.of()));
    }

    @SuppressWarnings("unchecked")
    private Answer associations(String rawFrom, String rawTo, String operation, byte[] request) throws IOException {
        String from = HubSpotPortal.canonicalType(rawFrom);
        String to = HubSpotPortal.canonicalType(rawTo);
        if (from == null || to == null) {
            return new Answer(400, error("VALIDATION_ERROR", "Unknown object type " + rawFrom + " or " + rawTo, Map.of()));
        }
        Map<String, Object> body = JSON.readValue(request, new TypeReference<>() {
        });
        List<Map<String, Object>> inputs = (List<Map<String, Object>>) body.getOrDefault("inputs", List.of());
        if (inputs.size() > ("read".equals(operation) ? 1000 : 2000)) {
            return new Answer(400, error("VALIDATION_ERROR", "Too many inputs: " + inputs.size(), Map.of()));
        }
        if ("read".equals(operation)) {
            List<String> ids = inputs.stream().map(i -> String.valueOf(i.get("id"))).toList();
            return new Answer(200, batchBody(portal.associationsOf(from, to, ids), List.of()));
        }
        return batch(portal.associate(from, to, inputs), 201);
    }

    private Answer batch(BatchAnswer answer, int okStatus) {
        if (answer.errors().isEmpty()) {
            return new Answer(okStatus, batchBody(answer.results(), List.of()));
        }
        if (answer.results().isEmpty() && answer.errors().size() == 1 && okStatus != 200) {
            Failure f = answer.errors().get(0);
            return new Answer(f.status(), error(f.category(), f.message(), f.context()));
        }
        return new Answer(207, batchBody(answer.results(), answer.errors()));
    }

    private static Map<String, Object> batchBody(List<Map<String, Object>> results, List<Failure> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        String now = Instant.now().toString();
        body.put("status", "COMPLETE");
        body.put("results", results);
        if (!errors.isEmpty()) {
            body.put("numErrors", errors.size());
            body.put("errors", errors.stream().map(f -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("status", "error");
                e.put("category", f.category());
                e.put("message", f.message());
                e.put("context", f.context());
                return e;
            }).toList());
        }
        body.put("requestedAt", now);
        body.put("startedAt", now);
        body.put("completedAt", now);
        return body;
    }

    private Answer single(Object result, int okStatus) {
        return result instanceof Failure f ? failure(f) : new Answer(okStatus, result);
    }

    private Answer failure(Failure f) {
        return new Answer(f.status(), error(f.category(), f.message(), f.context()));
    }

    private Map<String, Object> property(HubSpotPortal.Property p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", p.name());
        body.put("label", p.label());
        body.put("type", p.type());
        body.put("fieldType", p.fieldType());
        body.put("groupName", p.groupName());
        body.put("hasUniqueValue", p.unique());
        body.put("hubspotDefined", !p.custom());
        body.put("options", p.options().stream().map(o -> Map.of("label", o, "value", o)).toList());
        return body;
    }

    private static Map<String, Object> error(String category, String message, Map<String, List<String>> context) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", category);
        if (!context.isEmpty()) {
            body.put("context", context);
        }
        return body;
    }

    private synchronized void record(long arrived, String method, String path, int status) {
        calls.add(new Call(arrived, method, endpoint(path), status));
        answers.computeIfAbsent(String.valueOf(status), k -> new AtomicLong()).incrementAndGet();
    }

    /** The path with ids and versions taken out: {@code contacts batch/upsert}, {@code associations communications>contacts}. */
    static String endpoint(String path) {
        Matcher m;
        if ((m = ASSOCIATIONS.matcher(path)).matches()) {
            return "associations " + m.group(1) + ">" + m.group(2) + " " + m.group(3);
        }
        if ((m = PROPERTIES.matcher(path)).matches()) {
            return "properties " + m.group(1);
        }
        if ((m = OBJECTS.matcher(path)).matches()) {
            String rest = m.group(2) == null ? "" : m.group(2);
            return m.group(1) + (rest.startsWith("/batch/") || rest.equals("/search") ? " " + rest.substring(1)
                    : rest.isEmpty() ? "" : " {id}");
        }
        return path;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
