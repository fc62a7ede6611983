package io.github.wacrm.bridge.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;

/**
 * The fact of a message the bridge sent, once Meta accepted it (kind {@code outbound_message}, keyed by its wamid):
 * put on the facts topic so both CRMs keep one outbound record, which the status webhooks then update (sent,
 * delivered, read, failed) through the same wamid, and which names the request that asked for it.
 */
public final class OutboundFacts {

    /** A fact to put on the facts topic: the request it is about, its Kafka key and its JSON. */
    public record Publication(String requestId, String key, String json) {
    }

    private OutboundFacts() {
    }

    /**
     * The fact of a request the bridge refused before anything went to Meta (outcome {@code refused}, its code and
     * reason), keyed by the request: the CRMs show it as an outbound record that was never sent, on the record that
     * asked. The recipient is unknown when the asking record had no WhatsApp number.
     */
    public static CanonicalEvent refused(OutboundRequest request, String code, String reason) {
        CanonicalEvent fact = sent(request, "request:" + request.id, null);
        fact.dedupKey = "outbound-refused:" + request.id;
        fact.eventId = UUID.nameUUIDFromBytes(fact.dedupKey.getBytes(StandardCharsets.UTF_8)).toString();
        fact.payload.put("outcome", "refused").put("reasonCode", code).put("reason", reason);
        if (!OutboundRecipients.valid(request.to)) {
            fact.customer = null;
            fact.partitionKey = "request:" + request.id;
        }
        return fact;
    }

    /**
     * The fact of a request whose outcome is unknown (outcome {@code unknown}): its call may have reached Meta, but no
     * answer and no status came within the bound. Keyed by the request, as a refusal: nothing names a wamid.
     */
    public static CanonicalEvent unknown(OutboundRequest request, String reason) {
        CanonicalEvent fact = sent(request, "request:" + request.id, null);
        fact.dedupKey = "outbound-unknown:" + request.id;
        fact.eventId = UUID.nameUUIDFromBytes(fact.dedupKey.getBytes(StandardCharsets.UTF_8)).toString();
        fact.payload.put("outcome", "unknown").put("reasonCode", "no_answer").put("reason", reason);
        return fact;
    }

    public static CanonicalEvent sent(OutboundRequest request, String wamid, String text) {
        CanonicalEvent fact = new CanonicalEvent();
        fact.kind = EventKind.OUTBOUND_MESSAGE;
        fact.field = "outbound";
        fact.dedupKey = "outbound:" + wamid;
        fact.eventId = UUID.nameUUIDFromBytes(fact.dedupKey.getBytes(StandardCharsets.UTF_8)).toString();
        fact.messageId = wamid;
        fact.phoneNumberId = request.phoneNumberId;
        fact.occurredAt = Instant.now().toString();
        fact.receivedAt = fact.occurredAt;
        fact.partitionKey = request.identityKey;
        Customer customer = new Customer();
        if (request.to != null && request.to.startsWith("+")) {
            customer.waId = request.to.substring(1);
            customer.e164 = request.to;
        } else {
            customer.userId = request.to;
        }
        customer.identityKey = request.identityKey;
        customer.identityHash = request.identityHash;
        fact.customer = customer;
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("type", request.template != null ? "template" : "text");
        if (text != null) {
            payload.put("text", text);
        }
        if (request.template != null) {
            payload.putObject("template").put("name", request.template.name).put("language", request.template.language);
        }
        payload.put("outcome", "sent").put("requestId", request.id).put("source", request.source);
        if (request.requestedBy != null) {
            payload.put("requestedBy", request.requestedBy);
        }
        if (request.correlationId != null) {
            payload.put("correlationId", request.correlationId);
        }
        fact.payload = payload;
        return fact;
    }
}
