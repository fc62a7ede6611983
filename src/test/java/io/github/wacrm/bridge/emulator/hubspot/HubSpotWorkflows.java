package io.github.wacrm.bridge.emulator.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HubSpot's side of a custom workflow action: {@link #execute} posts an execution to the action URL as HubSpot does
 * (a {@code callbackId}, the origin, the context, the enrolled object and the input fields; signed with the app's
 * client secret — v2, as HubSpot signs custom actions, or v3 with a timestamp), and a blocked execution waits for
 * {@code POST /automation/v4/actions/callbacks/{callbackId}/complete}: 204 once, 400 for a callback that is not
 * waiting (unknown, or completed before). {@link #sendWebhook} is the plain "Send a webhook" action, signed the same way.
 */
public final class HubSpotWorkflows {

    /** How an execution is signed. */
    public enum Signature { V2, V3, NONE }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong ids = new AtomicLong(1000);
    private final Map<String, String> waiting = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> completed = new ConcurrentHashMap<>();
    private final AtomicLong batches = new AtomicLong();

    /**
     * Runs the action for a contact: posts to {@code postTo}, signed for {@code actionUrl} (the definition's URL; a
     * proxy may stand between), and answers the response. A callback id given again is HubSpot retrying.
     */
    public HttpResponse<String> execute(String postTo, String actionUrl, String clientSecret, Signature signature,
            String callbackId, String contactId, Map<String, String> inputFields, long timestampMillis)
            throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("callbackId", callbackId);
        body.put("origin", Map.of("portalId", 4242424, "actionDefinitionId", 1001, "actionDefinitionVersion", 1));
        body.put("context", Map.of("source", "WORKFLOWS", "workflowId", 7001));
        body.put("object", Map.of("objectId", Long.parseLong(contactId), "objectType", "CONTACT"));
        body.put("inputFields", inputFields);
        String json = JSON.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(postTo)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        sign(request, signature, clientSecret, actionUrl, json, timestampMillis);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        // HubSpot waits for a callback only when the action answered BLOCK
        if (response.statusCode() == 200 && JSON.readTree(response.body()).path("outputFields")
                .path("hs_execution_state").asText().equals("BLOCK")) {
            waiting.putIfAbsent(callbackId, contactId);
        }
        return response;
    }

    /**
     * The plain "Send a webhook" action: posts {@code body} (the contact as HubSpot's object, or a customised body) to
     * {@code postTo}, signed for {@code webhookUrl} (with its query) as HubSpot signs it. HubSpot sends the same
     * request again after a 5xx or a timeout.
     */
    public HttpResponse<String> sendWebhook(String postTo, String webhookUrl, String clientSecret, Signature signature,
            Map<String, Object> body, long timestampMillis) throws Exception {
        String json = JSON.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(postTo)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        sign(request, signature, clientSecret, webhookUrl, json, timestampMillis);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void sign(HttpRequest.Builder request, Signature signature, String clientSecret, String url,
            String json, long timestampMillis) throws Exception {
        if (signature == Signature.V2) {
            request.header("X-HubSpot-Signature-Version", "v2").header("X-HubSpot-Signature", HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest((clientSecret + "POST" + url + json)
                            .getBytes(StandardCharsets.UTF_8))));
        } else if (signature == Signature.V3) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            // HubSpot signs the URI with some escapes decoded (its v3 validation guide)
            String signed = url;
            for (String escape : new String[] {"%3A:", "%2F/", "%3F?", "%40@", "%21!", "%24$", "%27'", "%28(", "%29)",
                "%2A*", "%2C,", "%3B;"}) {
                signed = signed.replaceAll("(?i)" + java.util.regex.Pattern.quote(escape.substring(0, 3)),
                        java.util.regex.Matcher.quoteReplacement(escape.substring(3)));
            }
            request.header("X-HubSpot-Request-Timestamp", Long.toString(timestampMillis))
                    .header("X-HubSpot-Signature-v3", Base64.getEncoder().encodeToString(mac.doFinal(
                            ("POST" + signed + json + timestampMillis).getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** A new callback id, as HubSpot makes one per execution. */
    public String newCallbackId() {
        return "ap-" + ids.incrementAndGet() + "-" + System.nanoTime();
    }

    /** The output fields a callback was completed with, if it was. */
    public Optional<JsonNode> completion(String callbackId) {
        return Optional.ofNullable(completed.get(callbackId));
    }

    /** {@code POST /automation/v4/actions/callbacks/{callbackId}/complete}. */
    HubSpotAnswer complete(String callbackId, byte[] request) throws java.io.IOException {
        JsonNode body = JSON.readTree(request);
        if (!body.path("outputFields").isObject() || !body.path("outputFields").has("hs_execution_state")) {
            return new HubSpotAnswer(400, HubSpotAnswer.error("VALIDATION_ERROR", "outputFields.hs_execution_state is "
                    + "required", Map.of()));
        }
        if (waiting.remove(callbackId) == null) {
            return new HubSpotAnswer(400, HubSpotAnswer.error("VALIDATION_ERROR", "callback " + callbackId
                    + " is not waiting for completion", Map.of()));
        }
        completed.put(callbackId, body.path("outputFields"));
        return new HubSpotAnswer(204, null);
    }

    /**
     * {@code POST /automation/v4/actions/callbacks/complete} ({@code inputs}: callback id and output fields each): 204
     * once every one is completed; 400 for the whole batch, completing none, when one is not waiting (the stricter
     * reading of HubSpot's documentation) or lacks its execution state.
     */
    synchronized HubSpotAnswer completeBatch(byte[] request) throws java.io.IOException {
        JsonNode inputs = JSON.readTree(request).path("inputs");
        if (!inputs.isArray() || inputs.isEmpty() || inputs.size() > 100) {
            return new HubSpotAnswer(400, HubSpotAnswer.error("VALIDATION_ERROR", "inputs: 1 to 100 callbacks", Map.of()));
        }
        java.util.List<String> notWaiting = new java.util.ArrayList<>();
        for (JsonNode input : inputs) {
            if (!input.path("outputFields").has("hs_execution_state")) {
                return new HubSpotAnswer(400, HubSpotAnswer.error("VALIDATION_ERROR", "outputFields.hs_execution_state "
                        + "is required", Map.of()));
            }
            if (!waiting.containsKey(input.path("callbackId").asText())) {
                notWaiting.add(input.path("callbackId").asText());
            }
        }
        if (!notWaiting.isEmpty()) {
            return new HubSpotAnswer(400, HubSpotAnswer.error("VALIDATION_ERROR", "callbacks " + notWaiting
                    + " are not waiting for completion", Map.of("callbackId", notWaiting)));
        }
        for (JsonNode input : inputs) {
            waiting.remove(input.path("callbackId").asText());
            completed.put(input.path("callbackId").asText(), input.path("outputFields"));
            batches.incrementAndGet();
        }
        return new HubSpotAnswer(204, null);
    }

    /** Callbacks completed through the batch API so far. */
    public long completedInBatches() {
        return batches.get();
    }

    /** HubSpot stops waiting for a callback (its execution expired). */
    public void expire(String callbackId) {
        waiting.remove(callbackId);
    }

    void reset() {
        waiting.clear();
        completed.clear();
    }
}
