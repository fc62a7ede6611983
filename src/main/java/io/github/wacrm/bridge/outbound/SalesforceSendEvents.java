package io.github.wacrm.bridge.outbound;

import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.salesforce.SalesforceUnavailableException;

/**
 * A {@code WhatsApp_Send__e} platform event from Salesforce ({@code routes/65-salesforce-send-events}) made one outbound
 * request, the same as the REST API makes: {@link #read} checks its form and asks for its recipient's record (a
 * Contact, a Lead, or a Case's Contact, by the event's {@code Recipient_Id__c}); {@link #addressed} takes the WhatsApp
 * number from that record and records the request in the send ledger under the event's own id
 * ({@code salesforce:<EventUuid>}), so an event read twice (a restart, two replicas) is one request. An event that
 * cannot be sent (no such record, no WhatsApp number, neither a template nor a text, unreadable parameters) is refused
 * with its reason: in the ledger, and as a refused outbound record on the asking record ({@link #refused}).
 */
@Component("salesforceSendEvents")
public class SalesforceSendEvents {

    public static final String REQUEST = "salesforceSendRequest";
    private static final Pattern RECORD_ID = Pattern.compile("^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{5,14}$");
    private static final Pattern DIGITS = Pattern.compile("^[1-9][0-9]{5,14}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SendLedger ledger;
    private final OutboundRecipients recipients;
    private final OutboundProperties properties;
    private final OutboundMetrics metrics;

    public SalesforceSendEvents(SendLedger ledger, OutboundRecipients recipients, OutboundProperties properties,
            OutboundMetrics metrics) {
        this.ledger = ledger;
        this.recipients = recipients;
        this.properties = properties;
        this.metrics = metrics;
    }

    /**
     * Route step: the event (its JSON as camel-salesforce gives it) becomes a request waiting for its recipient; the
     * body becomes the SOQL query for the recipient's record. A form error throws {@link OutboundApiRefusal}.
     */
    public void read(Exchange exchange) {
        JsonNode event = readEvent(exchange.getMessage().getBody(String.class));
        OutboundRequest request = new OutboundRequest();
        request.id = UUID.randomUUID().toString();
        request.source = "salesforce";
        request.requestedBy = field(event, "Recipient_Id__c");
        request.correlationId = field(event, "Correlation_Id__c");
        String from = field(event, "From_Phone_Number_Id__c");
        request.phoneNumberId = from != null ? from : properties.phoneNumberId();
        exchange.setProperty(REQUEST, request);
        String text = field(event, "Text__c");
        String template = field(event, "Template_Name__c");
        if (request.requestedBy == null || !RECORD_ID.matcher(request.requestedBy).matches()) {
            throw new OutboundApiRefusal(422, "invalid_recipient", "Recipient_Id__c must be the id of a Contact, a Lead "
                    + "or a Case");
        }
        if (request.phoneNumberId == null || request.phoneNumberId.isBlank()) {
            throw new OutboundApiRefusal(422, "no_business_number", "no From_Phone_Number_Id__c, and no "
                    + "whatsapp.outbound.phone-number-id");
        }
        if ((template == null) == (text == null)) {
            throw new OutboundApiRefusal(422, "template_or_text", "give either Template_Name__c or Text__c");
        }
        if (text != null) {
            request.text = text;
        } else {
            request.template = new OutboundRequest.Template();
            request.template.name = template;
            request.template.language = field(event, "Template_Language__c");
            if (request.template.language == null) {
                throw new OutboundApiRefusal(422, "invalid_template", "a template needs Template_Language__c");
            }
            request.template.parameters = parameters(field(event, "Parameters__c"));
        }
        exchange.getMessage().setBody(recipientQuery(request.requestedBy));
    }

    /**
     * Route step, with the recipient query's answer as the body: the request gets its WhatsApp number and is
     * recorded in the ledger; the body becomes the request for the requests topic (with its Kafka key), and
     * {@code outboundPublish} says whether it still needs putting there.
     */
    public void addressed(Exchange exchange) throws JsonProcessingException {
        OutboundRequest request = exchange.getProperty(REQUEST, OutboundRequest.class);
        JsonNode records = JSON.readTree(exchange.getMessage().getBody(String.class)).path("records");
        if (records.isEmpty()) {
            throw new OutboundApiRefusal(422, "recipient_not_found", "no Contact, Lead or Case " + request.requestedBy);
        }
        JsonNode record = records.get(0);
        JsonNode person = record.has("Contact") ? record.path("Contact") : record;
        request.to = whatsappNumber(person);
        if (request.to == null) {
            throw new OutboundApiRefusal(422, "no_whatsapp_number", "the record " + request.requestedBy + " has no "
                    + "WhatsApp number (WhatsApp_E164__c, WhatsApp_Id__c, or a MobilePhone in E.164)");
        }
        recipients.identify(request);
        record(exchange, request);
    }

    /**
     * Route step when the recipient query failed: Salesforce refusing the query (a 400: an id of no such kind) is
     * the event's fault; anything else (Salesforce away, a limit, a session it will renew) is an outage, retried.
     */
    public void queryFailed(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        OutboundRequest request = exchange.getProperty(REQUEST, OutboundRequest.class);
        if (caught instanceof SalesforceException refused && refused.getStatusCode() == 400) {
            throw new OutboundApiRefusal(422, "recipient_not_found", "Salesforce refused to look up "
                    + request.requestedBy + ": " + refused.getMessage());
        }
        throw new SalesforceUnavailableException("the recipient of a WhatsApp Send event could not be looked up",
                caught);
    }

    /**
     * Route step for an event refused before it became a request: the refusal in the ledger (under the event's key,
     * so a second reading is the same refusal) and its fact as the body, for the CRMs.
     */
    public void refused(Exchange exchange) throws JsonProcessingException {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        OutboundApiRefusal refusal = caught instanceof OutboundApiRefusal r ? r
                : new OutboundApiRefusal(422, "invalid_event", String.valueOf(caught));
        OutboundRequest request = exchange.getProperty(REQUEST, OutboundRequest.class);
        if (request == null) {
            request = new OutboundRequest();
            request.id = UUID.randomUUID().toString();
            request.source = "salesforce";
        }
        if (request.to == null) {
            // no WhatsApp number: the ledger keeps the record that asked in its place
            request.to = "salesforce:" + request.requestedBy;
            request.identityHash = Sha256.hex(request.to);
        }
        if (request.phoneNumberId == null) {
            request.phoneNumberId = "";
        }
        SendLedger.Entry entry = record(exchange, request);
        exchange.setProperty("outboundPublish", false);
        if (entry.state() != SendLedger.State.ACCEPTED && entry.state() != SendLedger.State.REFUSED) {
            // read again after its request went on (a replay, a second replica): it is not refused now
            exchange.setProperty("outboundRefusalFact", false);
            return;
        }
        exchange.setProperty("outboundRefusalFact", true);
        if (entry.state() == SendLedger.State.ACCEPTED) {
            ledger.refused(entry.id(), refusal.code(), refusal.getMessage());
            metrics.refused(refusal.code());
        }
        request.id = entry.id();
        CanonicalEvent fact = OutboundFacts.refused(request, refusal.code(), refusal.getMessage());
        exchange.getMessage().setHeader(KafkaConstants.KEY, fact.partitionKey);
        exchange.getMessage().setBody(JSON.writeValueAsString(fact));
    }

    private SendLedger.Entry record(Exchange exchange, OutboundRequest request) throws JsonProcessingException {
        String eventId = exchange.getProperty("pubSubEventId", String.class);
        String key = "salesforce:" + (eventId != null ? eventId : request.id);
        String json = JSON.writeValueAsString(request);
        SendLedger.Entry entry = ledger.accept(request, key, Sha256.hex(key), json);
        boolean isNew = entry.id().equals(request.id);
        if (isNew) {
            metrics.outcome("accepted");
        }
        exchange.setProperty("outboundRequestId", entry.id());
        // the same event again while its request waits: put on its topic again (its first write may have been lost)
        exchange.setProperty("outboundPublish", entry.state() == SendLedger.State.ACCEPTED);
        exchange.getMessage().setHeader(KafkaConstants.KEY, request.identityKey);
        exchange.getMessage().setBody(entry.request());
        return entry;
    }

    /** The SOQL for the record that asks: a Contact or Lead itself, a Case's Contact. The id is checked first. */
    static String recipientQuery(String recordId) {
        String numbers = "WhatsApp_E164__c, WhatsApp_Id__c, MobilePhone";
        if (recordId.startsWith("500")) {
            return "SELECT Id, Contact.WhatsApp_E164__c, Contact.WhatsApp_Id__c, Contact.MobilePhone FROM Case "
                    + "WHERE Id = '" + recordId + "'";
        }
        String object = recordId.startsWith("00Q") ? "Lead" : "Contact";
        return "SELECT Id, " + numbers + " FROM " + object + " WHERE Id = '" + recordId + "'";
    }

    /** The person's WhatsApp number: its WhatsApp E.164, else its WhatsApp id (digits or a BSUID), else a mobile in E.164. */
    static String whatsappNumber(JsonNode person) {
        String e164 = text(person, "WhatsApp_E164__c");
        if (e164 != null && E164.matcher(e164).matches()) {
            return e164;
        }
        String waId = text(person, "WhatsApp_Id__c");
        if (waId != null && DIGITS.matcher(waId).matches()) {
            return "+" + waId;
        }
        if (waId != null && OutboundRecipients.valid(waId)) {
            return waId;
        }
        String mobile = text(person, "MobilePhone");
        String compact = mobile == null ? null : mobile.replaceAll("[\\s().-]", "");
        return compact != null && E164.matcher(compact).matches() ? compact : null;
    }

    private static JsonNode parameters(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode parameters = JSON.readTree(json);
            if (parameters.isArray() || parameters.isObject()) {
                return parameters;
            }
        } catch (JsonProcessingException unreadable) {
            // refused below
        }
        throw new OutboundApiRefusal(422, "invalid_parameters", "Parameters__c must be a JSON array (positional) or "
                + "object (named)");
    }

    private static JsonNode readEvent(String body) {
        try {
            JsonNode event = body == null ? null : JSON.readTree(body);
            if (event == null || !event.isObject()) {
                throw new OutboundApiRefusal(422, "invalid_event", "the event is not a JSON object");
            }
            return event;
        } catch (JsonProcessingException unreadable) {
            throw new OutboundApiRefusal(422, "invalid_event", "the event is not JSON");
        }
    }

    /** A field of the event: Avro's JSON may wrap an optional value as {@code {"string": "..."}}. */
    private static String field(JsonNode event, String name) {
        JsonNode value = event.path(name);
        if (value.isObject() && value.has("string")) {
            value = value.get("string");
        }
        return value.isTextual() && !value.asText().isBlank() ? value.asText().trim() : null;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.path(name);
        return value.isTextual() && !value.asText().isBlank() ? value.asText().trim() : null;
    }
}
