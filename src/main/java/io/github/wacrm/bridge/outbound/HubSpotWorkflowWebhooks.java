package io.github.wacrm.bridge.outbound;

import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * HubSpot's plain workflow action "Send a webhook" made one outbound request ({@code routes/68-hubspot-workflow-webhook}),
 * for portals without the custom action. The workflow posts the enrolled contact, signed with the app's client secret
 * ({@code X-HubSpot-Signature-v3}, else v2), to {@code webhook-url} with the template in the query
 * ({@code ?template=order_update&language=en_US&key=order-shipped}) or in a customised body ({@code template_name},
 * {@code language}, {@code parameters} as JSON, or {@code text}; {@code idempotency_key}). The body is either HubSpot's
 * object ({@code properties} with values, or {@code vid}/{@code hs_object_id}) or flat. The idempotency key is
 * {@code hubspot-webhook:<contact id>:<key>}: one send per contact and key, whatever HubSpot retries (it retries 5xx
 * and timeouts for three days, never a 4xx). Accepted → 202 with the request id; the outcome reaches the contact's
 * communication like every send. Refused → 422 with the reason, recorded and shown on the contact.
 */
@Component("hubSpotWorkflowWebhooks")
public class HubSpotWorkflowWebhooks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotActionSignature signature;
    private final SendLedger ledger;
    private final OutboundRecipients recipients;
    private final OutboundProperties properties;
    private final OutboundMetrics metrics;
    private final String webhookUrl;

    public HubSpotWorkflowWebhooks(HubSpotActionSignature signature, SendLedger ledger, OutboundRecipients recipients,
            OutboundProperties properties, OutboundMetrics metrics,
            @Value("${whatsapp.outbound.hubspot-actions.webhook-url:}") String webhookUrl) {
        this.signature = signature;
        this.ledger = ledger;
        this.recipients = recipients;
        this.properties = properties;
        this.metrics = metrics;
        this.webhookUrl = webhookUrl;
    }

    /** Route step: a signed webhook → the request recorded (body: its JSON, with its Kafka key) or a refusal thrown. */
    public void read(Exchange exchange) throws JsonProcessingException {
        var in = exchange.getMessage();
        String body = in.getBody(String.class) == null ? "" : in.getBody(String.class);
        // as the request line carries it (the servlet's query string is not decoded)
        String query = in.getHeader(Exchange.HTTP_RAW_QUERY, in.getHeader(Exchange.HTTP_QUERY, String.class), String.class);
        if (webhookUrl == null || webhookUrl.isBlank()) {
            throw new OutboundApiRefusal(401, "invalid_signature", "no whatsapp.outbound.hubspot-actions.webhook-url: "
                    + "workflow webhooks are refused");
        }
        signature.verify(webhookUrl + (query == null || query.isEmpty() ? "" : "?" + query), in, body);
        JsonNode sent;
        try {
            sent = JSON.readTree(body);
        } catch (JsonProcessingException unreadable) {
            sent = null;
        }
        if (sent == null || !sent.isObject()) {
            throw new OutboundApiRefusal(400, "invalid_json", "the webhook's body is not a JSON object");
        }
        ObjectNode fields = flat(sent);
        Map<String, String> asked = Map.of("template_name", "template", "language", "language", "parameters",
                "parameters", "text", "text", "idempotency_key", "key");
        asked.forEach((field, parameter) -> {
            String value = in.getHeader(parameter, String.class);
            if (!fields.hasNonNull(field) && value != null && !value.isBlank()) {
                fields.put(field, value);
            }
        });
        String contactId = firstOf(fields, "hs_object_id", "vid", "objectId", "id");
        String key = firstOf(fields, "idempotency_key");
        if (contactId == null || !contactId.matches("[0-9]{1,20}")) {
            throw new OutboundApiRefusal(400, "no_contact_id", "the body names no contact (hs_object_id or vid)");
        }
        if (key == null || key.length() > 200) {
            throw new OutboundApiRefusal(400, "idempotency_key_required", "give a key (?key=... in the webhook URL, or "
                    + "idempotency_key in the body): one send per contact and key");
        }
        OutboundRequest request = new OutboundRequest();
        request.id = UUID.randomUUID().toString();
        request.source = "hubspot";
        request.requestedBy = "webhook:" + key;
        request.phoneNumberId = properties.phoneNumberId();
        exchange.setProperty("hubspotWebhookKey", "hubspot-webhook:" + contactId + ":" + key);
        exchange.setProperty(HubSpotWorkflowActions.REQUEST, request);
        exchange.setProperty("hubspotObjectId", contactId);
        if (request.phoneNumberId == null || request.phoneNumberId.isBlank()) {
            throw new OutboundApiRefusal(400, "no_business_number", "no whatsapp.outbound.phone-number-id to send from");
        }
        // the number first: a refusal of the message itself then shows on the contact's communication
        request.to = HubSpotWorkflowActions.number(fields);
        if (request.to != null) {
            recipients.identify(request);
        }
        HubSpotWorkflowActions.inputs(request, fields);
        if (request.to == null) {
            throw new OutboundApiRefusal(422, "no_whatsapp_number", "the webhook's body has no WhatsApp number of the "
                    + "contact (whatsapp_id, or a mobile or phone number in E.164): include the contact's properties");
        }
        String ledgerKey = exchange.getProperty("hubspotWebhookKey", String.class);
        SendLedger.Entry entry = ledger.accept(request, ledgerKey, Sha256.hex(ledgerKey), JSON.writeValueAsString(request));
        if (entry.id().equals(request.id)) {
            metrics.outcome("accepted");
        }
        exchange.setProperty("outboundPublish", entry.state() == SendLedger.State.ACCEPTED);
        exchange.setProperty("hubspotWebhookEntry", entry);
        in.removeHeaders("*");
        in.setHeader(KafkaConstants.KEY, request.identityKey);
        in.setBody(entry.request());
    }

    /**
     * Route step after the request is queued: 202 with its id. The same contact and key again is the same request:
     * its state now, or 422 with the reason it was refused.
     */
    public void accepted(Exchange exchange) {
        SendLedger.Entry entry = exchange.getProperty("hubspotWebhookEntry", SendLedger.Entry.class);
        ObjectNode out = JSON.createObjectNode();
        if (entry.state() == SendLedger.State.REFUSED) {
            out.putObject("error").put("code", entry.reasonCode()).put("message", entry.reason()).put("id", entry.id());
            WorkflowRefusals.answer(exchange, 422, out.toString());
            return;
        }
        WorkflowRefusals.answer(exchange, 202, out.put("id", entry.id()).put("status", entry.state().wire()).toString());
    }

    /**
     * Route step for a webhook that cannot be sent: 401 and 400 are recorded nowhere (no signature, no contact or
     * key: the workflow's configuration is wrong); any other reason is recorded refused and its fact goes to the
     * contact's communication. Answers 422 with the reason (HubSpot does not retry a 4xx).
     */
    public void refused(Exchange exchange) throws JsonProcessingException {
        OutboundApiRefusal refusal = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, OutboundApiRefusal.class);
        exchange.setProperty("outboundRefusalFact", null);
        OutboundRequest request = exchange.getProperty(HubSpotWorkflowActions.REQUEST, OutboundRequest.class);
        if (refusal.status() != 401 && refusal.status() != 400 && request != null) {
            SendLedger.Entry entry = WorkflowRefusals.accept(ledger, recipients, exchange, request,
                    exchange.getProperty("hubspotWebhookKey", String.class));
            WorkflowRefusals.refuse(ledger, metrics, exchange, request, entry, refusal);
        }
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("code", refusal.code()).put("message", refusal.getMessage());
        WorkflowRefusals.answer(exchange, refusal.status(), error.toString());
    }

    /** Route step when the database or Kafka is away: 503, nothing recorded; HubSpot sends the webhook again. */
    public void unavailable(Exchange exchange) {
        WorkflowRefusals.unavailable(exchange);
    }

    /** Route step: the refusal's answer, kept while its fact was put on its topic. */
    public void reply(Exchange exchange) {
        WorkflowRefusals.reply(exchange);
    }

    /** HubSpot's object ({@code properties: {name: {value}}} or {@code {name: value}}) or a flat body, as one level. */
    static ObjectNode flat(JsonNode body) {
        ObjectNode fields = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isValueNode()) {
                fields.set(field.getKey(), field.getValue());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode value = property.getValue().isObject() ? property.getValue().path("value") : property.getValue();
            if (value.isValueNode() && !fields.hasNonNull(property.getKey())) {
                fields.set(property.getKey(), value);
            }
        }
        if (body.path("parameters").isContainerNode()) {
            fields.put("parameters", body.path("parameters").toString());
        }
        return fields;
    }

    private static String firstOf(JsonNode fields, String... names) {
        for (String name : names) {
            JsonNode value = fields.path(name);
            if (value.isValueNode() && !value.asText().isBlank()) {
                return value.asText().strip();
            }
        }
        return null;
    }

}
