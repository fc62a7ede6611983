package io.github.wacrm.bridge.outbound;

import java.time.Instant;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outbound REST API behind {@code routes/60-outbound-api}: {@code POST /api/v1/messages} (a template or a text,
 * with a required {@code Idempotency-Key}) becomes one request in the ledger and on the requests topic, answered 202;
 * the same key and body again is the same request (202, same id), the same key with another body a 409;
 * {@code GET /api/v1/messages/{id}} tells what became of it; {@code POST /api/v1/consents} records a marketing opt-in
 * or opt-out. The caller is the API token's name ({@link OutboundApiSecurity} puts it in {@link #CLIENT_HEADER}).
 */
@Component("outboundApi")
public class OutboundApi {

    public static final String CLIENT_HEADER = "X-WhatsApp-Bridge-Client";
    public static final String NEW = "outboundNewRequest";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEXT_LIMIT = 4096;

    private final SendLedger ledger;
    private final OutboundRecipients recipients;
    private final OutboundProperties properties;
    private final CustomerConsent consent;
    private final OutboundMetrics metrics;

    public OutboundApi(SendLedger ledger, OutboundRecipients recipients, OutboundProperties properties,
            CustomerConsent consent, OutboundMetrics metrics) {
        this.ledger = ledger;
        this.recipients = recipients;
        this.properties = properties;
        this.consent = consent;
        this.metrics = metrics;
    }

    /**
     * Route step of {@code POST /api/v1/messages}: checks the request's form, records it in the ledger, and leaves on
     * the exchange the request to put on its topic (its JSON body and Kafka key). A form error throws
     * {@link OutboundApiRefusal}.
     */
    public void accept(Exchange exchange) throws JsonProcessingException {
        String key = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        if (key == null || key.isBlank() || key.length() > 200) {
            throw new OutboundApiRefusal(400, "idempotency_key_required", "an Idempotency-Key header (at most 200 "
                    + "characters) is required: a request sent twice with one key is sent once");
        }
        JsonNode body = read(exchange.getMessage().getBody(String.class));
        OutboundRequest request = request(body);
        String client = exchange.getMessage().getHeader(CLIENT_HEADER, "api", String.class);
        request.source = "api";
        request.requestedBy = client;
        request.id = UUID.randomUUID().toString();
        recipients.identify(request);
        String json = JSON.writeValueAsString(request);
        String requestHash = Sha256.hex(body.toString());
        SendLedger.Entry entry = ledger.accept(request, "api:" + client + ":" + key, requestHash, json);
        if (!entry.requestHash().equals(requestHash)) {
            throw new OutboundApiRefusal(409, "idempotency_key_reused", "this Idempotency-Key was used for another "
                    + "request (" + entry.id() + ")");
        }
        boolean isNew = entry.id().equals(request.id);
        // the same request again: put on its topic again while it waits (its first write may have been lost)
        exchange.setProperty(NEW, isNew);
        exchange.setProperty("outboundRequestId", entry.id());
        exchange.setProperty("outboundPublish", entry.state() == SendLedger.State.ACCEPTED);
        exchange.getMessage().setHeader(KafkaConstants.KEY, request.identityKey);
        exchange.getMessage().setBody(entry.request());
        if (isNew) {
            metrics.outcome("accepted");
        }
    }

    /** Route step after the request is on its topic (or needed not be): 202 with its id and state. */
    public void accepted(Exchange exchange) {
        String id = exchange.getProperty("outboundRequestId", String.class);
        SendLedger.Entry entry = ledger.find(id).orElseThrow();
        answer(exchange, 202, state(entry));
    }

    /** The request could not be put on its topic: a new one is forgotten (the key is free) and the answer is 503. */
    public void unavailable(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getProperty(NEW, Boolean.class))) {
            ledger.forget(exchange.getProperty("outboundRequestId", String.class));
        }
        answer(exchange, 503, error("unavailable", "the request could not be stored; send it again with the same "
                + "Idempotency-Key"));
    }

    /** A form error's answer. */
    public void refused(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        OutboundApiRefusal refusal = caught instanceof OutboundApiRefusal r ? r
                : new OutboundApiRefusal(400, "invalid_request", String.valueOf(caught == null ? "" : caught.getMessage()));
        answer(exchange, refusal.status(), error(refusal.code(), refusal.getMessage()));
    }

    /** {@code GET /api/v1/messages/{id}}: the request's state, wamid and reason; 404 for an id it does not know. */
    public void status(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        ledger.find(id).ifPresentOrElse(entry -> answer(exchange, 200, state(entry)),
                () -> answer(exchange, 404, error("not_found", "no request " + id)));
    }

    /** {@code POST /api/v1/consents} {@code {"to", "marketing": "opted_in" | "opted_out", "at"?}}: 204. */
    public void recordConsent(Exchange exchange) {
        JsonNode body = read(exchange.getMessage().getBody(String.class));
        String to = body.path("to").asText(null);
        String marketing = body.path("marketing").asText("");
        if (!OutboundRecipients.valid(to)) {
            throw new OutboundApiRefusal(422, "invalid_recipient", "to must be an E.164 number (+16505551234) or a BSUID");
        }
        if (!marketing.equals(CustomerConsent.OPTED_IN) && !marketing.equals(CustomerConsent.OPTED_OUT)) {
            throw new OutboundApiRefusal(422, "invalid_consent", "marketing must be opted_in or opted_out");
        }
        Instant at;
        try {
            at = body.hasNonNull("at") ? Instant.parse(body.path("at").asText()) : Instant.now();
        } catch (java.time.format.DateTimeParseException unreadable) {
            throw new OutboundApiRefusal(422, "invalid_time", "at must be an ISO-8601 instant");
        }
        OutboundRequest who = new OutboundRequest();
        who.to = to;
        recipients.identify(who);
        String client = exchange.getMessage().getHeader(CLIENT_HEADER, "api", String.class);
        consent.record(who.identityHash, marketing, "api:" + client, at);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }

    private OutboundRequest request(JsonNode body) {
        OutboundRequest request = new OutboundRequest();
        request.to = body.path("to").asText(null);
        if (!OutboundRecipients.valid(request.to)) {
            throw new OutboundApiRefusal(422, "invalid_recipient", "to must be an E.164 number (+16505551234) or a BSUID");
        }
        request.phoneNumberId = body.path("from").asText(properties.phoneNumberId());
        if (request.phoneNumberId == null || request.phoneNumberId.isBlank()) {
            throw new OutboundApiRefusal(422, "no_business_number", "no from, and no whatsapp.outbound.phone-number-id");
        }
        request.correlationId = body.path("correlationId").asText(null);
        JsonNode template = body.path("template");
        boolean hasText = body.hasNonNull("text");
        if (template.isObject() == hasText) {
            throw new OutboundApiRefusal(422, "template_or_text", "give either a template or a text");
        }
        if (hasText) {
            request.text = body.path("text").asText();
            if (request.text.isBlank() || request.text.length() > TEXT_LIMIT) {
                throw new OutboundApiRefusal(422, "invalid_text", "text must have 1 to 4,096 characters");
            }
            return request;
        }
        request.template = new OutboundRequest.Template();
        request.template.name = template.path("name").asText(null);
        request.template.language = template.path("language").asText(null);
        request.template.parameters = template.has("parameters") ? template.get("parameters") : null;
        if (request.template.name == null || request.template.language == null) {
            throw new OutboundApiRefusal(422, "invalid_template", "a template needs a name and a language");
        }
        if (request.template.parameters != null && !request.template.parameters.isArray()
                && !request.template.parameters.isObject()) {
            throw new OutboundApiRefusal(422, "invalid_parameters", "parameters are an array (positional) or an "
                    + "object (named)");
        }
        request.template.header = template.has("header") ? template.get("header") : null;
        request.template.buttons = template.has("buttons") ? template.get("buttons") : null;
        if ((request.template.header != null && !request.template.header.isObject())
                || (request.template.buttons != null && !request.template.buttons.isObject())) {
            throw new OutboundApiRefusal(422, "invalid_parameters", "header is an object ({\"image\": {\"link\": …}}, "
                    + "{\"text\": …}) and buttons an object by button index ({\"0\": …})");
        }
        return request;
    }

    private static ObjectNode state(SendLedger.Entry entry) {
        ObjectNode out = JSON.createObjectNode().put("id", entry.id())
                .put("status", entry.state() == SendLedger.State.SENDING ? "accepted" : entry.state().wire());
        if (entry.wamid() != null) {
            out.put("wamid", entry.wamid());
        }
        if (entry.reasonCode() != null) {
            out.putObject("reason").put("code", entry.reasonCode()).put("message", entry.reason());
        }
        return out;
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("error").put("code", code).put("message", message);
        return out;
    }

    private static void answer(Exchange exchange, int status, JsonNode body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }

    private static JsonNode read(String text) {
        try {
            JsonNode body = text == null || text.isBlank() ? null : JSON.readTree(text);
            if (body == null || !body.isObject()) {
                throw new OutboundApiRefusal(400, "invalid_json", "the body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException unreadable) {
            throw new OutboundApiRefusal(400, "invalid_json", "the body is not JSON: " + unreadable.getOriginalMessage());
        }
    }
}
