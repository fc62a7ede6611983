package io.github.wacrm.bridge.emulator.hubspot;

import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.error;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.BatchRefused;

/**
 * An in-process HubSpot portal speaking the REST contract the bridge uses, under both {@code /crm/v3/...} (and
 * {@code /crm/v4/associations}) and the date-versioned paths ({@code /crm/objects/2026-03/...}):
 * <ul>
 * <li>private-app token check ({@code Authorization: Bearer}); 401 INVALID_AUTHENTICATION, 403 MISSING_SCOPES;</li>
 * <li>properties API: list, read, create (unique values), property groups;</li>
 * <li>objects (contacts, communications, notes, tickets): create, read, update, batch create / read / update /
 * upsert (on a unique {@code idProperty}), search;</li>
 * <li>objects: also a page of records (GET) and archive (DELETE, 204); inline associations on create;</li>
 * <li>v4 associations: batch create and batch read (207 NO_ASSOCIATIONS_FOUND), the association labels;</li>
 * <li>ticket pipelines ({@code GET /crm/v3/pipelines/tickets});</li>
 * <li>answers 200/201, 207 with per-input {@code errors}, 400/404/409 error bodies, and on every answer the
 * {@code X-HubSpot-RateLimit-*} headers; past the portal's budget, 429 with {@code policyName}
 * TEN_SECONDLY_ROLLING or DAILY (search: SECONDLY, 5 per second).</li>
 * </ul>
 * Faults: 429 bursts, daily limit spent, 5xx, latency, refused token, missing scopes, validation rules. Every API call
 * is logged with its arrival time, so tests can check the bridge never went over its budget.
 * <p>
 * The emulator keeps the server, the token check, the 5xx faults and the routing; each resource is served by its own
 * class ({@link HubSpotObjectsApi}, {@link HubSpotPropertiesApi}, {@link HubSpotAssociationsApi}), the budget by
 * {@link HubSpotRateLimits}, the log by {@link HubSpotCallLog}, and the shapes of answers are {@link HubSpotAnswer}'s.
 */
public final class HubSpotEmulator implements AutoCloseable {

    public static final String DEV_TOKEN = "dev-hubspot-token";
    private static final Pattern OBJECTS = Pattern.compile("^/crm/(?:v3/objects|objects/\\d{4}-\\d{2})/([^/]+)(/.*)?$");
    private static final Pattern PROPERTIES = Pattern.compile(
            "^/crm/(?:v3/properties|properties/\\d{4}-\\d{2})/([^/]+)(/.*)?$");
    private static final Pattern ASSOCIATIONS = Pattern.compile(
            "^/crm/(?:v4/associations|associations/\\d{4}-\\d{2})/([^/]+)/([^/]+)/batch/(create|read)$");
    private static final Pattern LABELS = Pattern.compile(
            "^/crm/(?:v4/associations|associations/\\d{4}-\\d{2})/([^/]+)/([^/]+)/labels$");
    private static final Pattern CALLBACK = Pattern.compile("^/automation/v4/actions/callbacks/([^/]+)/complete$");
    private static final Pattern DEFINITIONS = Pattern.compile("^/automation/v4/actions/([0-9]+)(?:/([0-9]+))?$");
    private static final Pattern PIPELINES = Pattern.compile("^/crm/(?:v3/pipelines|pipelines/\\d{4}-\\d{2})/([^/]+)(/.*)?$");
    static final ObjectMapper JSON = new ObjectMapper();

    /** One API call as the portal saw it. */
    public record Call(long atMillis, String method, String endpoint, int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final HubSpotPortal portal = new HubSpotPortal();
    private final HubSpotObjectsApi objects = new HubSpotObjectsApi(portal);
    private final HubSpotPropertiesApi properties = new HubSpotPropertiesApi(portal);
    private final HubSpotAssociationsApi associations = new HubSpotAssociationsApi(portal);
    private final HubSpotPipelinesApi pipelines = new HubSpotPipelinesApi(portal);
    private final HubSpotFilesApi files = new HubSpotFilesApi();
    private final HubSpotRateLimits limits = new HubSpotRateLimits();
    private final HubSpotCallLog log = new HubSpotCallLog();
    private final HubSpotWorkflows workflows = new HubSpotWorkflows();
    private final HubSpotActionDefinitions definitions = new HubSpotActionDefinitions();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;
    /** Only calls whose path ends with this fail (null: any call). */
    private volatile String failPath;
    private volatile boolean down;
    private volatile boolean refuseToken;
    private volatile boolean missingScopes;
    private volatile long latencyMillis;
    /** The private app tokens the portal accepts (HubSpot's "rotate token" leaves the old one working a while); null: any. */
    private final java.util.Set<String> tokens;

    private HubSpotEmulator(int port, String token) throws IOException {
        // a note's attachments must be files the portal holds
        portal.knownFiles(files::exists);
        this.tokens = token == null ? null : java.util.concurrent.ConcurrentHashMap.newKeySet();
        if (token != null) {
            tokens.add(token);
        }
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

    /** Workflows that run the bridge's custom action, and the callbacks they wait for. */
    public HubSpotWorkflows workflows() {
        return workflows;
    }

    /** The files uploaded through the files API. */
    public HubSpotFilesApi files() {
        return files;
    }

    public HubSpotPortal portal() {
        return portal;
    }

    /** The dev app's custom workflow action definitions. */
    public HubSpotActionDefinitions actionDefinitions() {
        return definitions;
    }

    // ---- checks for tests ----------------------------------------------------------------------------------------

    public List<Call> calls() {
        return log.calls();
    }

    /** The most API calls that arrived within any {@code windowMs} (rolling). */
    public int maxCallsInAnyWindow(long windowMs) {
        return log.maxCallsInAnyWindow(windowMs);
    }

    /** Answers by status class and endpoint, e.g. {@code 429}, {@code 207}. */
    public Map<String, Long> answers() {
        return log.answers();
    }

    public long answers(int status) {
        return log.answers(status);
    }

    public void clearCalls() {
        log.clear();
    }

    // ---- configuration and faults --------------------------------------------------------------------------------

    /** The portal's budget: requests per rolling window (HubSpot: 100 or 190 per 10 s) and per day; a new window. */
    public void budget(int requests, long windowMs, long perDay) {
        limits.budget(requests, windowMs, perDay);
    }

    /** The next {@code count} calls answer 429 TEN_SECONDLY_ROLLING (another app of the portal used the budget). */
    public void throttleNext(int count) {
        limits.throttleNext(count);
    }

    /** Calls answer 429 DAILY until {@link #recover()}. */
    public void spendDailyLimit() {
        limits.spendDailyLimit();
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

    /** A rotated private app token: accepted beside the others. */
    public void issueToken(String token) {
        tokens.add(token);
    }

    /** A token expired or revoked: 401 from now on. */
    public void revokeToken(String token) {
        tokens.remove(token);
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
        refuseToken = false;
        missingScopes = false;
        limits.recover();
        failNext.set(0);
        failPath = null;
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
            HubSpotAnswer answer = answer(exchange, method, path, request);
            log.record(new Call(arrived, method, endpoint(path), answer.status()));
            byte[] body = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private HubSpotAnswer answer(HttpExchange exchange, String method, String path, byte[] request) {
        if (latencyMillis > 0) {
            sleep(latencyMillis);
        }
        Matcher definition = DEFINITIONS.matcher(path);
        if (definition.matches()) {
            // the app's developer API key, not the portal's token
            return definitions.answer(method, definition, exchange.getRequestURI().getRawQuery(), request);
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String presented = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).trim()
                : null;
        if (refuseToken || presented == null || presented.isEmpty() || (tokens != null && !tokens.contains(presented))) {
            return new HubSpotAnswer(401, error("INVALID_AUTHENTICATION", "Authentication credentials not found. This API "
                    + "supports OAuth 2.0 authentication and you can find more details at "
                    + "https://developers.hubspot.com/docs/methods/auth/oauth-overview", Map.of()));
        }
        if (missingScopes) {
            Map<String, Object> body = error("MISSING_SCOPES", "This app hasn't been granted all required scopes to "
                    + "make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
                    Map.of());
            body.put("errors", List.of(Map.of("message", "One or more of the following scopes are required.",
                    "context", Map.of("requiredGranularScopes", List.of("crm.objects.contacts.write")))));
            return new HubSpotAnswer(403, body);
        }
        boolean search = path.endsWith("/search");
        HubSpotAnswer limited = limits.admit(exchange.getResponseHeaders(), search);
        if (limited != null) {
            return limited;
        }
        String onlyPath = failPath;
        boolean failThis = (onlyPath == null || path.endsWith(onlyPath))
                && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (down || failThis) {
            int status = down ? 503 : failStatus;
            return new HubSpotAnswer(status, error("INTERNAL_ERROR", "internal error", Map.of()));
        }
        try {
            Matcher m;
            if (path.equals("/automation/v4/actions/callbacks/complete") && "POST".equals(method)) {
                return workflows.completeBatch(request);
            }
            if ((m = CALLBACK.matcher(path)).matches() && "POST".equals(method)) {
                return workflows.complete(m.group(1), request);
            }
            if ((m = ASSOCIATIONS.matcher(path)).matches()) {
                return associations.answer(m.group(1), m.group(2), m.group(3), request);
            }
            if ((m = LABELS.matcher(path)).matches() && "GET".equals(method)) {
                return associations.labels(m.group(1), m.group(2));
            }
            if ((m = PIPELINES.matcher(path)).matches() && "GET".equals(method)) {
                return pipelines.answer(m.group(1), m.group(2));
            }
            if ((m = PROPERTIES.matcher(path)).matches()) {
                return properties.answer(method, m.group(1), m.group(2), request);
            }
            if (HubSpotFilesApi.UPLOAD.matcher(path).matches() && "POST".equals(method)) {
                return files.upload(exchange.getRequestHeaders().getFirst("Content-Type"), request);
            }
            if ((m = HubSpotFilesApi.FILE.matcher(path)).matches() && "GET".equals(method)) {
                return files.read(m.group(1));
            }
            if ((m = OBJECTS.matcher(path)).matches()) {
                return objects.answer(method, m.group(1), m.group(2), exchange.getRequestURI().getRawQuery(),
                        request);
            }
            return new HubSpotAnswer(404, error("OBJECT_NOT_FOUND", "Not found: " + path, Map.of()));
        } catch (BatchRefused refused) {
            return HubSpotAnswer.failure(refused.failure());
        } catch (IOException | RuntimeException bad) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", "Invalid input JSON: " + bad.getMessage(), Map.of()));
        }
    }

    /** The path with ids and versions taken out: {@code contacts batch/upsert}, {@code associations communications>contacts}. */
    static String endpoint(String path) {
        Matcher m;
        if ((m = ASSOCIATIONS.matcher(path)).matches()) {
            return "associations " + m.group(1) + ">" + m.group(2) + " " + m.group(3);
        }
        if ((m = LABELS.matcher(path)).matches()) {
            return "associations " + m.group(1) + ">" + m.group(2) + " labels";
        }
        if ((m = PIPELINES.matcher(path)).matches()) {
            return "pipelines " + m.group(1);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
