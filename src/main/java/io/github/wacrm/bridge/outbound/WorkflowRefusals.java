package io.github.wacrm.bridge.outbound;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * A HubSpot workflow's request that cannot be sent (the custom action's or the plain webhook's): recorded in the
 * ledger under its idempotency key (a contact without a WhatsApp number under its HubSpot id), refused with its
 * reason, and its refusal fact left in {@code outboundRefusalFact} for the contact's communication; and the HTTP
 * answers both entry points give.
 */
final class WorkflowRefusals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkflowRefusals() {
    }

    /** The request in the ledger under {@code key}: the new row, or the one the key already has. */
    static SendLedger.Entry accept(SendLedger ledger, OutboundRecipients recipients, Exchange exchange,
            OutboundRequest request, String key) throws JsonProcessingException {
        if (request.to == null) {
            request.to = "hubspot:contact:" + exchange.getProperty("hubspotObjectId", "?", String.class);
            // salted like every identity hash: an unsalted hash of a numeric id is read back by trying the ids
            request.identityHash = recipients.hashOf(request.to);
        }
        return ledger.accept(request, key, Sha256.hex(key), JSON.writeValueAsString(request));
    }

    /** The row refused with the reason (once: a row refused before stays as it is), and its fact for the CRMs. */
    static void refuse(SendLedger ledger, OutboundMetrics metrics, Exchange exchange, OutboundRequest request,
            SendLedger.Entry entry, OutboundApiRefusal refusal) throws JsonProcessingException {
        if (entry.state() == SendLedger.State.ACCEPTED) {
            ledger.refused(entry.id(), refusal.code(), refusal.getMessage());
            metrics.refused(refusal.code());
        }
        request.id = entry.id();
        CanonicalEvent fact = OutboundFacts.refused(request, refusal.code(), refusal.getMessage());
        exchange.setProperty("outboundRefusalFact", new OutboundFacts.Publication(request.id, fact.partitionKey,
                JSON.writeValueAsString(fact)));
    }

    /** The HTTP answer, kept in properties too while the refusal's fact goes to its topic. */
    static void answer(Exchange exchange, int status, String body) {
        exchange.setProperty("hubspotAnswerStatus", status);
        exchange.setProperty("hubspotAnswer", body);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }

    /** The answer kept while the refusal's fact was put on its topic. */
    static void reply(Exchange exchange) {
        answer(exchange, exchange.getProperty("hubspotAnswerStatus", 200, Integer.class),
                exchange.getProperty("hubspotAnswer", String.class));
    }

    /** The database or Kafka away: 503, nothing recorded; HubSpot sends the request again. */
    static void unavailable(Exchange exchange) {
        answer(exchange, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"try again later\"}}");
    }
}
