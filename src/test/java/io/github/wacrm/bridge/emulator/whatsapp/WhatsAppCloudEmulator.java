package io.github.wacrm.bridge.emulator.whatsapp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-process WhatsApp Cloud API speaking Meta's contract for what the reverse routes use: the bearer token (190 for
 * a refused one), {@code POST /{version}/{phone-number-id}/messages} with Meta's answer and error bodies (template
 * missing in that language 132001, not approved 132001/132015, parameter count 132000, a named parameter without
 * {@code parameter_name} 100, per-number throughput 130429, pair rate 131056), {@code GET /{version}/{waba-id}/
 * message_templates} with cursor paging, fault injection by error code and latency, and signed status webhooks posted
 * back to the bridge (sent, delivered, read, or a failure after acceptance) with {@code biz_opaque_callback_data}.
 */
public final class WhatsAppCloudEmulator implements AutoCloseable {

    public static final String DEV_TOKEN = "dev-whatsapp-token";
    public static final String WABA_ID = "102290129340398";
    public static final String PHONE_NUMBER_ID = "106540352242922";
    public static final String DISPLAY_NUMBER = "15550783881";
    private static final Pattern MESSAGES = Pattern.compile("^/v[0-9.]+/([0-9]+)/messages$");
    private static final Pattern TEMPLATES = Pattern.compile("^/v[0-9.]+/([0-9]+)/message_templates$");
    private static final Pattern PHONE_NUMBERS = Pattern.compile("^/v[0-9.]+/([0-9]+)/phone_numbers$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A send Meta accepted or refused, as the emulator saw it. */
    public record Send(long atMillis, String phoneNumberId, JsonNode body, int status, Integer errorCode) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final WhatsAppTemplates templates = new WhatsAppTemplates();
    private final StatusWebhooks statuses = new StatusWebhooks();
    private final WhatsAppMedia media;
    private final List<Send> sends = new ArrayList<>();
    private final Map<String, Long> lastToPair = new HashMap<>();
    private final Map<String, List<Long>> recentByNumber = new HashMap<>();
    private final Map<Integer, Integer> failNext = new HashMap<>();
    private final Map<String, Integer> asyncFailures = new HashMap<>();
    /** Recipients whose sends are accepted but whose answer breaks off mid-body; true: statuses still follow. */
    private final Map<String, Boolean> lostAnswers = new HashMap<>();
    private volatile boolean refuseToken;
    /** The access tokens Meta would take: a new system-user token does not revoke the old one until revoked. */
    private final java.util.Set<String> tokens = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile String qualityRating = "GREEN";
    private volatile long latencyMillis;
    private volatile int throughputPerSecond = 80;
    private volatile long pairIntervalMillis = 6000;
    private volatile List<String> statusOrder = List.of("sent", "delivered", "read");

    private WhatsAppCloudEmulator(int port) throws IOException {
        tokens.add(DEV_TOKEN);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        media = new WhatsAppMedia(baseUrl());
        server.start();
    }

    public static WhatsAppCloudEmulator start(int port) {
        try {
            return new WhatsAppCloudEmulator(port);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The media Meta holds: files a test adds, their lookups and short-lived URLs. */
    public WhatsAppMedia media() {
        return media;
    }

    /** Where the status webhooks go, signed with this app secret. */
    public void deliverStatusesTo(String webhookUrl, String appSecret) {
        statuses.deliverTo(webhookUrl, appSecret);
    }

    public synchronized List<Send> sends() {
        return List.copyOf(sends);
    }

    /** The next {@code times} sends are refused with Meta's error {@code code}. */
    public synchronized void failNext(int code, int times) {
        failNext.put(code, times);
    }

    /** Messages to this recipient are accepted, then fail in a status webhook with {@code code}. */
    public synchronized void failAfterAcceptance(String recipient, int code) {
        asyncFailures.put(recipient, code);
    }

    /**
     * Messages to this recipient are accepted (sent, with a wamid) but the answer breaks off mid-body, as when a
     * connection drops after Meta took the call: the caller cannot know. With {@code statusesFollow} the status
     * webhooks still come; without, nothing more is heard of the message.
     */
    public synchronized void loseAnswersTo(String recipient, boolean statusesFollow) {
        lostAnswers.put(recipient, statusesFollow);
    }

    /** The quality rating the Graph API lists for the business number: GREEN (the start), YELLOW, RED. */
    public void qualityRating(String rating) {
        qualityRating = rating;
    }

    /** A new access token, valid beside the others (generated in Business Manager). */
    public void issueToken(String token) {
        tokens.add(token);
    }

    /** An access token revoked: refused (190) from now on. */
    public void revokeToken(String token) {
        tokens.remove(token);
    }

    public void refuseToken(boolean refuse) {
        refuseToken = refuse;
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    public void throughput(int perSecond, long pairInterval) {
        throughputPerSecond = perSecond;
        pairIntervalMillis = pairInterval;
    }

    public void statusOrder(List<String> order) {
        statusOrder = List.copyOf(order);
    }

    public void templateStatus(String name, String language, String status) {
        templates.setStatus(name, language, status);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (refuseToken || auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                answer(exchange, 401, error(190, "OAuthException", "Error validating access token: the session has "
                        + "been invalidated", null));
                return;
            }
            if (media.handle(exchange)) {
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Matcher m;
            if (exchange.getRequestMethod().equals("POST") && (m = MESSAGES.matcher(path)).matches()) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                Object[] result = send(m.group(1), body);
                if (result.length > 2) {
                    // the headers promise a body that never comes: the caller's read fails
                    exchange.sendResponseHeaders(200, 4096);
                    exchange.getResponseBody().write("{\"messaging_product\":".getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                    return;
                }
                answer(exchange, (Integer) result[0], (JsonNode) result[1]);
            } else if (exchange.getRequestMethod().equals("GET") && (m = TEMPLATES.matcher(path)).matches()) {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                answer(exchange, 200, templates.page(Integer.parseInt(query.getOrDefault("limit", "25")),
                        query.get("after"), baseUrl() + path));
            } else if (exchange.getRequestMethod().equals("GET") && (m = PHONE_NUMBERS.matcher(path)).matches()
                    && m.group(1).equals(WABA_ID)) {
                ObjectNode page = JSON.createObjectNode();
                page.putArray("data").addObject().put("verified_name", "Emulated Business")
                        .put("display_phone_number", "+1 555-078-3881").put("id", PHONE_NUMBER_ID)
                        .put("quality_rating", qualityRating).put("messaging_limit_tier", "TIER_1K");
                page.putObject("paging").putObject("cursors").put("before", "QVFIUk").put("after", "QVFIUk");
                answer(exchange, 200, page);
            } else {
                answer(exchange, 400, error(100, "GraphMethodException", "Unsupported request: " + path, null));
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Object[] send(String phoneNumberId, JsonNode body) {
        long now = System.currentTimeMillis();
        Object[] refused = refusal(phoneNumberId, body, now);
        if (refused != null) {
            sends.add(new Send(now, phoneNumberId, body, (Integer) refused[0],
                    ((JsonNode) refused[1]).path("error").path("code").asInt()));
            return refused;
        }
        boolean bsuid = body.has("recipient");
        String recipient = bsuid ? body.path("recipient").asText() : body.path("to").asText();
        String wamid = "wamid.HBgL" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
        sends.add(new Send(now, phoneNumberId, body, 200, null));
        ObjectNode answer = JSON.createObjectNode().put("messaging_product", "whatsapp");
        answer.putArray("contacts").addObject().put("input", recipient).put(bsuid ? "user_id" : "wa_id", recipient);
        answer.putArray("messages").addObject().put("id", wamid);
        String category = body.has("template") ? templates.find(body.path("template").path("name").asText(),
                body.path("template").path("language").path("code").asText()).map(t -> t.path("category").asText())
                .orElse("UTILITY") : "SERVICE";
        Integer asyncCode = asyncFailures.get(recipient);
        Boolean lost = lostAnswers.get(recipient);
        if (lost == null || lost) {
            statuses.post(WABA_ID, phoneNumberId, DISPLAY_NUMBER, wamid, recipient, bsuid,
                    body.path("biz_opaque_callback_data").asText(null), category,
                    asyncCode != null ? List.of("failed") : statusOrder, asyncCode, 50);
        }
        return lost == null ? new Object[] {200, answer} : new Object[] {200, answer, "answer lost"};
    }

    private Object[] refusal(String phoneNumberId, JsonNode body, long now) {
        for (Map.Entry<Integer, Integer> fault : failNext.entrySet()) {
            if (fault.getValue() > 0) {
                fault.setValue(fault.getValue() - 1);
                return new Object[] {fault.getKey() >= 500 && fault.getKey() < 600 ? fault.getKey() : 400, error(fault.getKey(), "OAuthException",
                        "Injected error " + fault.getKey(), "(#" + fault.getKey() + ") injected by the emulator")};
            }
        }
        if (!"whatsapp".equals(body.path("messaging_product").asText()) || (!body.has("to") && !body.has("recipient"))) {
            return new Object[] {400, error(100, "OAuthException", "(#100) Invalid parameter", "messaging_product and "
                    + "to (or recipient) are required")};
        }
        List<Long> recent = recentByNumber.computeIfAbsent(phoneNumberId, k -> new ArrayList<>());
        recent.removeIf(t -> t < now - 1000);
        if (recent.size() >= throughputPerSecond) {
            return new Object[] {400, error(130429, "OAuthException", "(#130429) Rate limit hit",
                    "Cloud API message throughput has been reached.")};
        }
        String recipient = body.has("recipient") ? body.path("recipient").asText() : body.path("to").asText();
        Long last = lastToPair.get(phoneNumberId + "|" + recipient);
        if (last != null && now - last < pairIntervalMillis) {
            return new Object[] {400, error(131056, "OAuthException", "(#131056) (Business Account, Consumer Account) "
                    + "pair rate limit hit", "Message failed to send because there were too many messages sent from "
                    + "this phone number to the same phone number in a short period of time.")};
        }
        if (body.path("type").asText().equals("template")) {
            Object[] wrong = templateRefusal(body.path("template"));
            if (wrong != null) {
                return wrong;
            }
        } else if (!body.path("text").hasNonNull("body")) {
            return new Object[] {400, error(100, "OAuthException", "(#100) Invalid parameter", "text.body is required")};
        }
        recent.add(now);
        lastToPair.put(phoneNumberId + "|" + recipient, now);
        return null;
    }

    private Object[] templateRefusal(JsonNode template) {
        String name = template.path("name").asText();
        String language = template.path("language").path("code").asText();
        var found = templates.find(name, language);
        if (found.isEmpty() || found.get().path("status").asText().equals("REJECTED")) {
            return new Object[] {404, error(132001, "OAuthException", "(#132001) Template name does not exist in the "
                    + "translation", "template name (" + name + ") does not exist in " + language)};
        }
        String status = found.get().path("status").asText();
        if (status.equals("PAUSED") || status.equals("DISABLED")) {
            int code = status.equals("PAUSED") ? 132015 : 132016;
            return new Object[] {400, error(code, "OAuthException", "(#" + code + ") Template is " + status.toLowerCase(),
                    "The template is " + status.toLowerCase() + " because of low quality.")};
        }
        String text = component(found.get().path("components"), "BODY").path("text").asText();
        long wanted = Pattern.compile("\\{\\{[^}]+\\}\\}").matcher(text).results().count();
        JsonNode parameters = component(template.path("components"), "body").path("parameters");
        if (parameters.size() != wanted) {
            return new Object[] {400, error(132000, "OAuthException", "(#132000) Number of parameters does not match "
                    + "the expected number of params", "body: number of localizable_params (" + parameters.size()
                    + ") does not match the expected number of params (" + wanted + ")")};
        }
        boolean named = found.get().path("parameter_format").asText().equals("NAMED");
        for (JsonNode parameter : parameters) {
            if (named && !parameter.has("parameter_name")) {
                return new Object[] {400, error(100, "OAuthException", "(#100) Invalid parameter",
                        "parameter_name is required for a named template's parameters")};
            }
        }
        return WhatsAppTemplateChecks.headerAndButtons(found.get().path("components"), template.path("components"),
                media::has);
    }

    private static JsonNode component(JsonNode components, String type) {
        for (JsonNode component : components) {
            if (component.path("type").asText().equalsIgnoreCase(type)) {
                return component;
            }
        }
        return JSON.createObjectNode();
    }

    static ObjectNode error(int code, String type, String message, String details) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error").put("message", message).put("type", type).put("code", code);
        if (details != null) {
            error.putObject("error_data").put("messaging_product", "whatsapp").put("details", details);
        }
        error.put("fbtrace_id", "A" + Long.toHexString(System.nanoTime()));
        return root;
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        statuses.close();
    }
}
