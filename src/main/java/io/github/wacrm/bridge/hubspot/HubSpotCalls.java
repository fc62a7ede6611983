package io.github.wacrm.bridge.hubspot;

import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CALL;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CALLS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACT;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACTS;

import java.io.IOException;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.call.CallActivities;
import io.github.wacrm.bridge.call.CallActivity;
import io.github.wacrm.bridge.call.CallJob;

/**
 * A WhatsApp call as a HubSpot call engagement on the customer's contact, one per call (routes/74-call-activities):
 * upserted on {@code whatsapp_call_id} with the call's merged state, associated with the contact when it is first
 * written. WhatsApp's statuses become HubSpot's: ACCEPTED is IN_PROGRESS, REJECTED is CANCELED; the WhatsApp status
 * itself is kept in {@code whatsapp_call_status}.
 */
@Component("hubspotCalls")
public class HubSpotCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> STATUS = Map.of("RINGING", "RINGING", "ACCEPTED", "IN_PROGRESS",
            "COMPLETED", "COMPLETED", "REJECTED", "CANCELED", "FAILED", "FAILED", "NO_ANSWER", "NO_ANSWER",
            "BUSY", "BUSY", "MISSED", "MISSED");

    private final HubSpotProperties properties;
    private final HubSpotRestCall requests;
    private final CallActivities calls;

    public HubSpotCalls(HubSpotProperties properties, HubSpotRestCall requests, CallActivities calls) {
        this.properties = properties;
        this.requests = requests;
        this.calls = calls;
    }

    /** The contact the new call goes on, by its WhatsApp id (a batch read on the unique property). */
    public void contact(Exchange exchange) throws IOException {
        CallJob job = job(exchange);
        requests.call(exchange, "POST", properties.objectsPath(CONTACTS, "/batch/read"),
                HubSpotRestCall.readOne(CONTACT.idProperty(), job.customerKey(), CONTACT.idProperty()));
    }

    public void contactAnswered(Exchange exchange) throws IOException {
        CallJob job = job(exchange);
        JsonNode found = requests.answer(exchange, "contacts batch/read").path("results").path(0);
        if (!found.hasNonNull("id")) {
            calls.personNotFound(job, "HubSpot contact");
        }
        job.personId(found.path("id").asText());
    }

    /** The call engagement upserted with the call's merged state. */
    public void write(Exchange exchange) throws IOException {
        CallJob job = job(exchange);
        CallActivity call = job.activity();
        ObjectNode values = JSON.createObjectNode()
                .put(CALL.property("title"), "WhatsApp call " + (call.inbound() ? "from" : "to") + " the customer")
                .put(CALL.property("body"), call.description())
                .put(CALL.property("direction"), call.inbound() ? "INBOUND" : "OUTBOUND")
                .put(CALL.property("whatsappStatus"), call.status());
        if (call.beganAt() != null) {
            values.put(CALL.property("timestamp"), call.beganAt());
        }
        if (call.status() != null) {
            values.put(CALL.property("status"), STATUS.getOrDefault(call.status(), call.ended() ? "COMPLETED"
                    : "IN_PROGRESS"));
        }
        if (call.durationSeconds() != null) {
            values.put(CALL.property("duration"), Long.toString(call.durationSeconds() * 1000));
        }
        requests.call(exchange, "POST", properties.objectsPath(CALLS, "/batch/upsert"),
                HubSpotRestCall.upsertOne(CALL.idProperty(), job.callId(), values));
    }

    public void wrote(Exchange exchange) throws IOException {
        JsonNode result = requests.answer(exchange, "calls batch/upsert").path("results").path(0);
        job(exchange).recordId(result.path("id").asText());
    }

    /** The association with the contact, when the call is first written. */
    public void associate(Exchange exchange) throws IOException {
        CallJob job = job(exchange);
        requests.associate(exchange, CALLS, job.recordId(), CONTACTS, job.personId(),
                properties.associationTypes().callToContact());
    }

    public void associated(Exchange exchange) throws IOException {
        requests.answer(exchange, "associations calls>contacts");
    }

    private static CallJob job(Exchange exchange) {
        return exchange.getProperty(CallJob.PROPERTY, CallJob.class);
    }
}
