package io.github.wacrm.bridge.outbound;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.hubspot.HubSpotUnavailableException;

/**
 * A HubSpot custom workflow action ("Send a WhatsApp template", {@code routes/66-hubspot-workflow-action}) made one
 * outbound request: {@link #read} proves the request is HubSpot's ({@link HubSpotActionSignature}) and reads its
 * input fields ({@code template_name}, {@code language}, {@code parameters} as JSON, or {@code text}) for the enrolled
 * contact; {@link #addressed} takes the contact's WhatsApp number and records the request under
 * {@code hubspot:<callbackId>} (an execution HubSpot retries is one request), and answers HubSpot at once with
 * {@code hs_execution_state: BLOCK}: the action waits until {@link WorkflowCallbacks} completes it with the outcome. A
 * request that cannot be sent answers {@code FAIL_CONTINUE} with {@code whatsapp_status: refused} and its reason at
 * once; a request without a valid signature is 401 and recorded nowhere.
 */
@Component("hubSpotWorkflowActions")
public class HubSpotWorkflowActions {

    public static final String REQUEST = "hubspotActionRequest";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotActionSignature signature;
    private final SendLedger ledger;
    private final OutboundRecipients recipients;
    private final OutboundProperties properties;
    private final OutboundMetrics metrics;
    private final WorkflowCallbacks callbacks;

    public HubSpotWorkflowActions(HubSpotActionSignature signature, SendLedger ledger, OutboundRecipients recipients,
            OutboundProperties properties, OutboundMetrics metrics, WorkflowCallbacks callbacks) {
        this.signature = signature;
        this.ledger = ledger;
        this.recipients = recipients;
        this.properties = properties;
        this.metrics = metrics;
        this.callbacks = callbacks;
    }

    /** Route step: the signed execution request becomes a request waiting for its contact's number. */
    public void read(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        signature.verify(null, exchange.getMessage(), body == null ? "" : body);
        JsonNode action;
        try {
            action = JSON.readTree(body);
        } catch (JsonProcessingException unreadable) {
            throw new OutboundApiRefusal(400, "invalid_json", "the action request is not JSON");
        }
        String callbackId = action.path("callbackId").asText("");
        if (callbackId.isBlank() || callbackId.length() > 200) {
            throw new OutboundApiRefusal(400, "no_callback_id", "the action request has no callbackId");
        }
        OutboundRequest request = new OutboundRequest();
        request.id = UUID.randomUUID().toString();
        request.source = "hubspot";
        request.requestedBy = "workflow:" + action.path("context").path("workflowId").asText("?");
        request.correlationId = callbackId;
        request.phoneNumberId = properties.phoneNumberId();
        exchange.setProperty(REQUEST, request);
        if (request.phoneNumberId == null || request.phoneNumberId.isBlank()) {
            throw new OutboundApiRefusal(400, "no_business_number", "no whatsapp.outbound.phone-number-id to send from");
        }
        exchange.setProperty("hubspotCallbackId", callbackId);
        JsonNode inputs = action.path("inputFields");
        String objectType = action.path("object").path("objectType").asText("");
        String objectId = action.path("object").path("objectId").asText("");
        if (!objectType.equalsIgnoreCase("CONTACT") || !objectId.matches("[0-9]{1,20}")) {
            throw new OutboundApiRefusal(422, "invalid_recipient", "the action runs on contacts only");
        }
        exchange.setProperty("hubspotObjectId", objectId);
        inputs(request, inputs);
    }

    /**
     * The template ({@code template_name}, {@code language}, {@code parameters} as a JSON array or object) or the
     * {@code text} a workflow gave, into the request; a refusal when they do not make one message.
     */
    static void inputs(OutboundRequest request, JsonNode inputs) {
        String template = text(inputs, "template_name");
        String text = text(inputs, "text");
        if ((template == null) == (text == null)) {
            throw new OutboundApiRefusal(422, "template_or_text", "give either template_name or text");
        }
        if (text != null) {
            request.text = text;
            return;
        }
        request.template = new OutboundRequest.Template();
        request.template.name = template;
        request.template.language = text(inputs, "language");
        if (request.template.language == null) {
            throw new OutboundApiRefusal(422, "invalid_template", "a template needs a language");
        }
        String parameters = text(inputs, "parameters");
        if (parameters != null) {
            try {
                request.template.parameters = JSON.readTree(parameters);
            } catch (JsonProcessingException unreadable) {
                request.template.parameters = null;
            }
            if (request.template.parameters == null || !(request.template.parameters.isArray()
                    || request.template.parameters.isObject())) {
                throw new OutboundApiRefusal(422, "invalid_parameters", "parameters must be a JSON array "
                        + "(positional) or object (named)");
            }
        }
    }

    /** Route step, with HubSpot's answer for the contact as the body: the request recorded and queued. */
    public void addressed(Exchange exchange) throws JsonProcessingException {
        OutboundRequest request = exchange.getProperty(REQUEST, OutboundRequest.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status == 404) {
            throw new OutboundApiRefusal(422, "recipient_not_found", "no HubSpot contact "
                    + exchange.getProperty("hubspotObjectId"));
        }
        if (status < 200 || status >= 300) {
            throw new HubSpotUnavailableException("HubSpot answered " + status + " for the workflow's contact", false);
        }
        JsonNode contact = JSON.readTree(exchange.getMessage().getBody(String.class)).path("properties");
        request.to = number(contact);
        if (request.to == null) {
            throw new OutboundApiRefusal(422, "no_whatsapp_number", "the contact has no WhatsApp number "
                    + "(whatsapp_id, or a mobile or phone number in E.164)");
        }
        recipients.identify(request);
        String key = "hubspot:" + exchange.getProperty("hubspotCallbackId", String.class);
        SendLedger.Entry entry = ledger.accept(request, key, Sha256.hex(key), JSON.writeValueAsString(request));
        if (entry.id().equals(request.id)) {
            metrics.outcome("accepted");
        }
        callbacks.attach(entry.id(), exchange.getProperty("hubspotCallbackId", String.class));
        exchange.setProperty("outboundPublish", entry.state() == SendLedger.State.ACCEPTED);
        exchange.setProperty("outboundRequestId", entry.id());
        exchange.getMessage().setHeader(KafkaConstants.KEY, request.identityKey);
        exchange.getMessage().setBody(entry.request());
    }

    /** Route step after the request is queued: HubSpot is told to wait for the callback. */
    public void blocked(Exchange exchange) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("outputFields").put("hs_execution_state", "BLOCK").put("hs_expiration_duration", "P1D")
                .put("whatsapp_request_id", exchange.getProperty("outboundRequestId", String.class));
        WorkflowRefusals.answer(exchange, 200, out.toString());
    }

    /**
     * Route step for a request that cannot be sent: a bad signature is 401 (nothing recorded); any other reason
     * answers {@code FAIL_CONTINUE} at once, is recorded refused in the ledger, and its fact goes to the CRMs (the
     * contact's communication says why) when the contact is known.
     */
    public void refused(Exchange exchange) throws JsonProcessingException {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        OutboundApiRefusal refusal = caught instanceof OutboundApiRefusal r ? r
                : new OutboundApiRefusal(422, "invalid_request", String.valueOf(caught));
        exchange.setProperty("outboundRefusalFact", null);
        if (refusal.status() == 401 || refusal.status() == 400) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("code", refusal.code()).put("message", refusal.getMessage());
            WorkflowRefusals.answer(exchange, refusal.status(), error.toString());
            return;
        }
        OutboundRequest request = exchange.getProperty(REQUEST, OutboundRequest.class);
        SendLedger.Entry entry = WorkflowRefusals.accept(ledger, recipients, exchange, request,
                "hubspot:" + exchange.getProperty("hubspotCallbackId", String.class));
        if (entry.state() != SendLedger.State.ACCEPTED && entry.state() != SendLedger.State.REFUSED) {
            // HubSpot ran the execution again after its request went on: it still waits for the callback
            exchange.setProperty("outboundRequestId", entry.id());
            blocked(exchange);
            return;
        }
        WorkflowRefusals.refuse(ledger, metrics, exchange, request, entry, refusal);
        ObjectNode out = JSON.createObjectNode();
        out.putObject("outputFields").put("hs_execution_state", "FAIL_CONTINUE").put("whatsapp_status", "refused")
                .put("whatsapp_reason", refusal.code() + ": " + refusal.getMessage())
                .put("whatsapp_request_id", entry.id());
        WorkflowRefusals.answer(exchange, 200, out.toString());
    }

    /** The contact's WhatsApp number: its {@code whatsapp_id} (E.164 or BSUID), else an E.164 mobile or phone. */
    static String number(JsonNode contact) {
        for (String property : new String[] {"whatsapp_id", "mobilephone", "phone"}) {
            String value = text(contact, property);
            String compact = value == null ? null : value.replaceAll("[\\s().-]", "");
            if (compact != null && OutboundRecipients.valid(compact)
                    && (compact.startsWith("+") || property.equals("whatsapp_id"))) {
                return compact;
            }
        }
        return null;
    }


    private static String text(JsonNode node, String name) {
        JsonNode value = node.path(name);
        return value.isValueNode() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    /** Route step when HubSpot or the database is away: 503, nothing recorded; HubSpot runs the action again. */
    public void unavailable(Exchange exchange) {
        WorkflowRefusals.unavailable(exchange);
    }

    /** Route step: the answer kept while the refusal's fact was put on its topic. */
    public void reply(Exchange exchange) {
        WorkflowRefusals.reply(exchange);
    }
}
