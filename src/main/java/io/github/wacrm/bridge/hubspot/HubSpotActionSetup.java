package io.github.wacrm.bridge.hubspot;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The custom workflow action "Send a WhatsApp template" in the bridge's HubSpot app: the definition shipped in
 * {@code hubspot/whatsapp-send-action.json}, with {@code actionUrl} set to {@code whatsapp.outbound.hubspot-actions.url},
 * created through the automation v4 definitions API ({@code /automation/v4/actions/{appId}}, the app's developer API
 * key) by the setup command ({@code POST /actuator/hubspot}). The app's definitions are read page by page; the one
 * whose {@code actionUrl} is the bridge's is brought up to date when it lacks anything of the shipped one (what
 * HubSpot adds of its own does not count), else left alone: running the command twice changes nothing. Without an app id and developer key it says what to do instead.
 */
@Component
public class HubSpotActionSetup {

    private static final Logger LOG = LoggerFactory.getLogger(HubSpotActionSetup.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMPARED = List.of("objectTypes", "inputFields", "outputFields", "labels", "published");

    private final boolean enabled;
    private final String actionUrl;
    private final String appId;
    private final String developerKey;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public HubSpotActionSetup(@Value("${whatsapp.outbound.hubspot-actions.enabled:false}") boolean enabled,
            @Value("${whatsapp.outbound.hubspot-actions.url:}") String actionUrl,
            @Value("${whatsapp.outbound.hubspot-actions.app-id:}") String appId,
            @Value("${whatsapp.outbound.hubspot-actions.developer-api-key:}") String developerKey,
            @Value("${whatsapp.hubspot.base-url:https://api.hubapi.com}") String baseUrl) {
        this.enabled = enabled;
        this.actionUrl = actionUrl;
        this.appId = appId == null ? "" : appId.strip();
        this.developerKey = developerKey;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /** What the setup command did, or found, about the action: its state and definition id. */
    public record Outcome(String state, String definitionId, String detail) {
    }

    /** With {@code create}: creates or updates the definition; without: only says whether it is there and current. */
    public Outcome apply(boolean create) throws IOException, InterruptedException {
        if (!enabled) {
            return new Outcome("disabled", null, "whatsapp.outbound.hubspot-actions.enabled is false");
        }
        if (actionUrl == null || actionUrl.isBlank() || !appId.matches("[0-9]{1,20}") || developerKey == null
                || developerKey.isBlank()) {
            return new Outcome("not_configured", null, "set WHATSAPP_HUBSPOT_ACTION_URL, HUBSPOT_APP_ID and "
                    + "HUBSPOT_DEVELOPER_API_KEY, or create the action from hubspot/whatsapp-send-action.json by hand");
        }
        ObjectNode wanted = shipped();
        JsonNode found = find();
        if (found == null) {
            if (!create) {
                return new Outcome("missing", null, "no definition of the app calls " + actionUrl);
            }
            JsonNode made = call("POST", "", wanted);
            LOG.info("Created the HubSpot workflow action definition {} for {}", made.path("id").asText(), actionUrl);
            return new Outcome("created", made.path("id").asText(null), null);
        }
        String id = found.path("id").asText();
        List<String> differing = COMPARED.stream().filter(f -> !covers(wanted.path(f), found.path(f))).toList();
        if (differing.isEmpty()) {
            return new Outcome("current", id, null);
        }
        if (!create) {
            return new Outcome("outdated", id, "differs from the shipped definition in " + differing);
        }
        call("PATCH", "/" + id, wanted);
        LOG.info("Updated the HubSpot workflow action definition {} ({})", id, differing);
        return new Outcome("updated", id, "was different in " + differing);
    }

    /** Whether {@code found} has everything {@code wanted} says (HubSpot may add defaults of its own). */
    static boolean covers(JsonNode wanted, JsonNode found) {
        if (wanted.isObject()) {
            for (var it = wanted.fields(); it.hasNext();) {
                var field = it.next();
                if (!covers(field.getValue(), found.path(field.getKey()))) {
                    return false;
                }
            }
            return found.isObject();
        }
        if (wanted.isArray()) {
            if (!found.isArray() || found.size() != wanted.size()) {
                return false;
            }
            for (int i = 0; i < wanted.size(); i++) {
                if (!covers(wanted.get(i), found.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return wanted.equals(found);
    }

    ObjectNode shipped() throws IOException {
        try (InputStream in = HubSpotActionSetup.class.getResourceAsStream("/hubspot/whatsapp-send-action.json")) {
            ObjectNode definition = (ObjectNode) JSON.readTree(in);
            return definition.put("actionUrl", actionUrl);
        }
    }

    /** The app's definition that calls the bridge's action URL, through every page; null when there is none. */
    private JsonNode find() throws IOException, InterruptedException {
        String after = null;
        do {
            JsonNode page = call("GET", "?limit=100" + (after == null ? "" : "&after="
                    + URLEncoder.encode(after, StandardCharsets.UTF_8)), null);
            for (JsonNode definition : page.path("results")) {
                if (actionUrl.equals(definition.path("actionUrl").asText()) && definition.path("archivedAt").isMissingNode()) {
                    return definition;
                }
            }
            after = page.path("paging").path("next").path("after").asText(null);
        } while (after != null);
        return null;
    }

    private JsonNode call(String method, String rest, JsonNode body) throws IOException, InterruptedException {
        String separator = rest.contains("?") ? "&" : "?";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/automation/v4/actions/" + appId + rest
                + separator + "hapikey=" + URLEncoder.encode(developerKey, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        }
        String answer = response.body().length() > 300 ? response.body().substring(0, 300) : response.body();
        if (status == 401 || status == 403) {
            throw new IOException("HubSpot refused the developer API key for app " + appId + " (" + status
                    + "): check HUBSPOT_DEVELOPER_API_KEY and HUBSPOT_APP_ID " + answer);
        }
        throw new IOException("HubSpot answered " + status + " to " + method + " action definitions: " + answer);
    }
}
