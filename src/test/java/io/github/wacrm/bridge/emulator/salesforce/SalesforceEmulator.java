package io.github.wacrm.bridge.emulator.salesforce;

import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.errors;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * An in-process Salesforce org speaking the REST contract camel-salesforce, the bridge and everyday tooling (jsforce)
 * use: OAuth tokens and the identity URL ({@link SalesforceOAuth}, {@link SalesforceDiscoveryApi}), versions, resources
 * and limits, describeGlobal and describe ({@link SalesforceDescribe}), query with paging ({@link SalesforceQueryApi},
 * {@link Soql}), sObjects ({@link SalesforceSObjectsApi}), sObject Collections ({@link SalesforceCollectionsApi}) and
 * composite ({@link SalesforceCompositeApi}), in the shapes of {@link SalesforceReply}. Errors are JSON arrays
 * {@code [{message, errorCode, fields}]}; every data response carries {@code Sforce-Limit-Info: api-usage=N/M}. Faults:
 * expired sessions, lock errors, 503, daily limit reached, latency. It knows only the objects and fields of the shipped
 * metadata. The emulator keeps the server, the session check, the faults, the counters and the routing.
 */
public final class SalesforceEmulator implements AutoCloseable {

    public static final String ORG_ID = "00D000000000001EAA";
    public static final String USER_ID = "005000000000001AAA";

    static final Pattern DATA_PATH = Pattern.compile("^/services/data/v(\\d+\\.\\d)(/.*)?$");
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final SalesforceOrg org;
    private final SalesforceDataApi dataApi;
    private final SalesforceOAuth oauth = new SalesforceOAuth();
    private final SalesforceContentApi content;
    private SalesforcePubSubApi pubSub;
    private final Map<String, AtomicLong> callsByOperation = new ConcurrentHashMap<>();
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicInteger unavailableRequests = new AtomicInteger();
    private volatile boolean unavailable;
    private volatile boolean dailyLimitReached;
    private volatile long latencyMillis;
    private volatile long dailyApiLimit = 100_000;

    public SalesforceEmulator(int port, Path metadataSource) throws IOException {
        this.org = new SalesforceOrg(SalesforceSchema.fromMetadata(metadataSource));
        this.content = new SalesforceContentApi(org);
        this.dataApi = new SalesforceDataApi(org, this::count, () -> SalesforceDiscoveryApi.limits(apiCalls.get(), dailyApiLimit));
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
        return start(port, 0);
    }

    /** As {@link #start(int)}, with the Pub/Sub API (gRPC, plaintext) on {@code pubSubPort} (0: any free port). */
    public static SalesforceEmulator start(int port, int pubSubPort) {
        try {
            SalesforceEmulator emulator = new SalesforceEmulator(port, Path.of("salesforce/force-app"));
            emulator.server.start();
            emulator.pubSub = new SalesforcePubSubApi(emulator.org.events(),
                    token -> emulator.oauth.accepts("Bearer " + token), ORG_ID).start(pubSubPort);
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

    /** The Pub/Sub API's port (gRPC, plaintext, loopback). */
    public int pubSubPort() {
        return pubSub.port();
    }

    public SalesforcePubSubApi pubSub() {
        return pubSub;
    }

    // ---- checks for tests --------------------------------------------------------------------------------------

    /** Rows per query answer before {@code nextRecordsUrl} (2,000 by default). */
    public void queryBatchSize(int rows) {
        dataApi.queries().batchSize(rows);
    }

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
        return oauth.logins();
    }

    /** The files stored through ContentVersion inserts, with the SHA-256 of their bytes. */
    public List<SalesforceContentApi.StoredFile> files() {
        return content.files();
    }

    /** File storage left in the org: a file larger than this is refused with STORAGE_LIMIT_EXCEEDED. */
    public void fileStorageLeft(long bytes) {
        content.storageLeft(bytes);
    }

    // ---- faults ------------------------------------------------------------------------------------------------

    /** Every session issued so far becomes invalid: the next data call gets 401 INVALID_SESSION_ID. */
    public void expireSessions() {
        oauth.expireSessions();
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
        dataApi.queries().batchSize(SalesforceQueryApi.DEFAULT_BATCH_SIZE);
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    /** Token requests must name this client id (null: any credentials are accepted). */
    public void requireClientId(String clientId) {
        oauth.requireClientId(clientId);
    }

    public void resetCounters() {
        apiCalls.set(0);
        oauth.resetLogins();
        callsByOperation.clear();
    }

    /** Empties the org and clears faults and validation rules. */
    public void reset() {
        recover();
        latencyMillis = 0;
        org.reset();
        content.reset();
        resetCounters();
    }

    @Override
    public void close() {
        if (pubSub != null) {
            pubSub.close();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP --------------------------------------------------------------------------------------------------

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            String path = http.getRequestURI().getRawPath();
            byte[] body = http.getRequestBody().readAllBytes();
            if (path.equals("/services/oauth2/token")) {
                SalesforceReply reply = oauth.token(UrlEncodedForm.parse(new String(body, StandardCharsets.UTF_8)),
                        baseUrl());
                send(http, reply.status(), reply.body());
                return;
            }
            if (path.equals("/services/oauth2/revoke")) {
                Map<String, String> form = UrlEncodedForm.parse(new String(body, StandardCharsets.UTF_8) + "&"
                        + (http.getRequestURI().getRawQuery() == null ? "" : http.getRequestURI().getRawQuery()));
                oauth.revoke(form.get("token"));
                send(http, 200, null);
                return;
            }
            if (path.equals("/services/data") || path.equals("/services/data/")) {
                send(http, 200, SalesforceDiscoveryApi.versions());
                return;
            }
            Matcher data = DATA_PATH.matcher(path);
            if (!data.matches() && !path.startsWith("/id/")) {
                send(http, 404, errors("NOT_FOUND", "The requested resource does not exist"));
                return;
            }
            if (!oauth.accepts(http.getRequestHeaders().getFirst("Authorization"))) {
                send(http, 401, errors("INVALID_SESSION_ID", "Session expired or invalid"));
                return;
            }
            if (!data.matches()) {
                SalesforceReply identity = SalesforceDiscoveryApi.identity(baseUrl(), path);
                send(http, identity.status(), identity.body());
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
            if (SalesforceContentApi.isContentVersionInsert(http.getRequestMethod(), rest)) {
                count("insert ContentVersion");
                SalesforceReply stored = content.insert(http.getRequestHeaders().getFirst("Content-Type"), body);
                send(http, stored.status(), stored.body());
                return;
            }
            SalesforceReply reply = dataApi.serve(http.getRequestMethod(), "v" + data.group(1), rest,
                    http.getRequestURI().getRawQuery(), body);
            send(http, reply.status(), reply.body());
        } catch (Throwable e) {
            e.printStackTrace();
            send(http, 500, errors("UNKNOWN_EXCEPTION", "emulator: " + e));
        }
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

    /** A JSON request body as a map (empty when there is none). */
    static Map<String, Object> map(byte[] body) throws IOException {
        if (body.length == 0) {
            return new LinkedHashMap<>();
        }
        return JSON.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {
        });
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
