package io.github.wacrm.bridge.hubspot;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One HubSpot call of the media and call routes, outside the sink's batches (routes/73-hubspot-files, the route
 * {@code hubspot-rest-call}): the exchange it needs, and its answer read once. A 429, 5xx, refused token or missing
 * scope is an outage (tried again; a 429 also pauses every HubSpot call of the pod); any other refusal is the fact's
 * own and dead-letters it.
 */
@Component("hubspotRestCall")
public class HubSpotRestCall {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotProperties properties;
    private final HubSpotMetrics metrics;
    private final HubSpotRateLimit rateLimit;

    public HubSpotRestCall(HubSpotProperties properties, HubSpotMetrics metrics, HubSpotRateLimit rateLimit) {
        this.properties = properties;
        this.metrics = metrics;
        this.rateLimit = rateLimit;
    }

    /** The exchange for one camel-http call to HubSpot: only its token and content type go out. */
    void call(Exchange exchange, String method, String path, Object body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_METHOD, method);
        m.setHeader(Exchange.HTTP_URI, properties.baseUrl().replaceAll("/+$", "") + path);
        if (body instanceof String) {
            m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        m.setBody(body);
    }

    /**
     * The answer of a call that succeeded, as JSON; a 429, 5xx, refused token or missing scope is an outage (tried
     * again; a 429 also pauses every HubSpot call of the pod), anything else a refusal that dead-letters the file.
     */
    JsonNode answer(Exchange exchange, String endpoint) throws IOException {
        int status = status(exchange);
        String text = exchange.getMessage().getBody(String.class);
        if (status >= 200 && status < 300) {
            metrics.call(endpoint, "ok");
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        }
        if (status == 429) {
            Long retryAfter = exchange.getMessage().getHeader("Retry-After", Long.class);
            // HubSpot's window rolls within seconds: every call of the pod waits a second (or what HubSpot asked)
            rateLimit.pauseFor(retryAfter != null ? retryAfter * 1000 : 1_000);
        }
        if (status == 0 || status == 401 || status == 403 || status == 408 || status == 429 || status >= 500) {
            metrics.call(endpoint, "unavailable");
            throw new HubSpotUnavailableException("HubSpot answered " + status + " to " + endpoint, false);
        }
        metrics.call(endpoint, "rejected");
        JsonNode error = readOrEmpty(text);
        throw new HubSpotFileRefusedException(endpoint + " HTTP " + status + " " + error.path("category").asText("")
                + ": " + error.path("message").asText(""));
    }

    static int status(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    static JsonNode readOrEmpty(String text) {
        try {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    /** A v4 batch association of one record with another, of a HUBSPOT_DEFINED type. */
    void associate(Exchange exchange, String from, String fromId, String to, String toId, int typeId)
            throws IOException {
        ObjectNode association = JSON.createObjectNode();
        association.putObject("from").put("id", fromId);
        association.putObject("to").put("id", toId);
        association.putArray("types").addObject().put("associationCategory", "HUBSPOT_DEFINED")
                .put("associationTypeId", typeId);
        ObjectNode body = JSON.createObjectNode();
        body.putArray("inputs").add(association);
        call(exchange, "POST", properties.associationsPath(from, to, "/batch/create"), JSON.writeValueAsString(body));
    }

    /** The body of a batch upsert of one record on its unique property. */
    static String upsertOne(String idProperty, String id, ObjectNode values) throws IOException {
        ObjectNode input = JSON.createObjectNode().put("idProperty", idProperty).put("id", id);
        input.set("properties", values);
        ObjectNode body = JSON.createObjectNode();
        body.putArray("inputs").add(input);
        return JSON.writeValueAsString(body);
    }

    /** The body of a batch read of one record by its unique property. */
    static String readOne(String idProperty, String id, String property) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("idProperty", idProperty);
        body.putArray("inputs").addObject().put("id", id);
        body.putArray("properties").add(property);
        return JSON.writeValueAsString(body);
    }
}
