package io.github.wacrm.bridge.outbound;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.support.DevServices;

/** The outbound REST API as a caller uses it (the dev token), and what the Cloud API emulator saw of a request. */
public final class OutboundClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    public OutboundClient(int port) {
        this.port = port;
    }

    public HttpResponse<String> send(String key, String body) throws Exception {
        return api("POST", "/api/v1/messages", DevServices.DEV_OUTBOUND_TOKEN, key, body);
    }

    /** The id of an accepted request. */
    String accepted(String key, String body) throws Exception {
        return json(send(key, body)).path("id").asText();
    }

    public HttpResponse<String> api(String method, String path, String token, String key, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The request's state as {@code GET /api/v1/messages/{id}} shows it, once it reads {@code status}. */
    public JsonNode awaitStatus(String id, String status, Duration within) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(within).until(() -> {
            last[0] = json(api("GET", "/api/v1/messages/" + id, DevServices.DEV_OUTBOUND_TOKEN, null, null));
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    /** Every call the emulator took for this request (refused ones included). */
    static List<WhatsAppCloudEmulator.Send> sendsOf(String id) {
        return DevServices.get().whatsapp().sends().stream()
                .filter(s -> ("wacrm:" + id).equals(s.body().path("biz_opaque_callback_data").asText())).toList();
    }

    public static String orderUpdate(String to) {
        return template(to, "order_update", "[\"#4521\", \"on its way\"]");
    }

    public static String template(String to, String name, String parameters) {
        return "{\"to\": \"" + to + "\", \"template\": {\"name\": \"" + name + "\", \"language\": \"en_US\", "
                + "\"parameters\": " + parameters + "}}";
    }

    /** A number of the 1650580NNNN range no other test uses. */
    public static String newNumber() {
        return "+165058" + String.format("%05d", (int) (Math.random() * 100_000));
    }

    /** A contact in the shared HubSpot portal, with its WhatsApp id when it has a number; its id. */
    static String hubSpotContact(String number) {
        java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("firstname", "Ana");
        if (number != null) {
            properties.put("whatsapp_id", number);
        }
        Object created = DevServices.get().hubspot().portal().create("contacts", java.util.Map.of("properties",
                properties, "associations", List.of()));
        return String.valueOf(((java.util.Map<?, ?>) created).get("id"));
    }

    /** {@link #hubSpotContact} for tests of other packages. */
    public static String hubSpotContactWith(String number) {
        return hubSpotContact(number);
    }

    public static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }
}
