package io.github.wacrm.bridge.outbound;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;

/**
 * What the inbound spine's facts tell the reverse routes ({@code 62-outbound-facts}, its own consumer group of the
 * facts topic): a status of a message the bridge sent moves its request forward in the ledger (found by the request
 * id Meta echoes in {@code biz_opaque_callback_data}, else by wamid), including a failure Meta reports after it
 * accepted the call; a {@code user_preferences} stop or resume, a "Stop" quick reply and a 131050 failure record the
 * person's marketing consent; a template webhook updates the registry; quality and account webhooks, the state of the
 * business's numbers and account ({@link BusinessNumberStates}).
 */
@Component("outboundTracker")
public class OutboundTracker {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SendLedger ledger;
    private final CustomerConsent consent;
    private final TemplateRegistry registry;
    private final BusinessNumberStates numbers;
    private final RequestsInDoubt inDoubt;
    private final OutboundMetrics metrics;

    public OutboundTracker(SendLedger ledger, CustomerConsent consent, TemplateRegistry registry,
            BusinessNumberStates numbers, RequestsInDoubt inDoubt, OutboundMetrics metrics) {
        this.metrics = metrics;
        this.ledger = ledger;
        this.consent = consent;
        this.registry = registry;
        this.numbers = numbers;
        this.inDoubt = inDoubt;
    }

    /**
     * Route step: one fact. Answers the outbound fact to publish when a status settled a request whose call's answer
     * was lost ({@link RequestsInDoubt#settledLate}), else null.
     */
    public OutboundFacts.Publication track(CanonicalEvent fact) {
        if (fact.kind == EventKind.MESSAGE || fact.kind == EventKind.STATUS) {
            numbers.link(fact);
        }
        if (fact.kind == EventKind.PHONE_NUMBER && "phone_number_quality_update".equals(fact.field)) {
            numbers.quality(fact);
        } else if (fact.kind == EventKind.ACCOUNT) {
            numbers.account(fact);
        } else if (fact.kind == EventKind.STATUS) {
            return status(fact);
        } else if (fact.kind == EventKind.USER_PREFERENCE && fact.customer != null) {
            String value = fact.payload.path("value").asText("");
            if (value.equals("stop") || value.equals("resume")) {
                consent.record(fact.customer.identityHash, value.equals("stop") ? CustomerConsent.OPTED_OUT
                        : CustomerConsent.OPTED_IN, "user_preferences", at(fact));
            }
        } else if (fact.kind == EventKind.MESSAGE && fact.customer != null && stopReply(fact.payload)) {
            consent.record(fact.customer.identityHash, CustomerConsent.OPTED_OUT, "stop_reply", at(fact));
        } else if (fact.kind == EventKind.TEMPLATE) {
            registry.record(fact);
        }
        return null;
    }

    private OutboundFacts.Publication status(CanonicalEvent fact) {
        JsonNode p = fact.payload;
        SendLedger.State state = switch (p.path("status").asText("")) {
            case "sent" -> SendLedger.State.SENT;
            case "delivered" -> SendLedger.State.DELIVERED;
            case "read" -> SendLedger.State.READ;
            case "failed" -> SendLedger.State.FAILED;
            default -> null;
        };
        if (state == null) {
            return null;
        }
        String callback = p.path("bizOpaqueCallbackData").asText("");
        String id = callback.startsWith(CloudApiSend.CALLBACK_PREFIX)
                ? callback.substring(CloudApiSend.CALLBACK_PREFIX.length()) : null;
        if (id == null && fact.messageId == null) {
            return null;
        }
        JsonNode error = p.path("errors").path(0);
        Integer code = error.path("code").isNumber() ? error.path("code").asInt() : null;
        String reason = null;
        if (state == SendLedger.State.FAILED) {
            String meaning = MetaSendErrors.meaning(code);
            String said = (code == null ? "" : code + ": ") + error.path("details").asText(error.path("title").asText(""));
            reason = meaning == null ? said : meaning + " (" + said + ")";
        }
        String codeText = code == null ? null : code.toString();
        Optional<SendLedger.Moved> moved;
        try {
            moved = ledger.status(id, fact.messageId, state, codeText, reason);
        } catch (IllegalArgumentException notOurs) {
            // a callback that is not a request id of this bridge: by wamid only
            moved = ledger.status(null, fact.messageId, state, codeText, reason);
        }
        if (state == SendLedger.State.FAILED && MetaSendErrors.recordsOptOut(code) && fact.customer != null) {
            consent.record(fact.customer.identityHash, CustomerConsent.OPTED_OUT, "error_131050", at(fact));
        }
        moved.ifPresent(m -> countTemplateMessage(m, state));
        return moved.map(m -> inDoubt.settledLate(m, fact.messageId)).orElse(null);
    }

    /** The statuses a template message passed in this move: a read straight after sent was delivered too. */
    private void countTemplateMessage(SendLedger.Moved moved, SendLedger.State state) {
        String template = templateName(moved.request());
        if (state == SendLedger.State.FAILED) {
            metrics.templateMessage(template, "failed");
            return;
        }
        if (moved.before().ordinal() < SendLedger.State.DELIVERED.ordinal()
                && state.ordinal() >= SendLedger.State.DELIVERED.ordinal()) {
            metrics.templateMessage(template, "delivered");
        }
        if (state == SendLedger.State.READ) {
            metrics.templateMessage(template, "read");
        }
    }

    private static String templateName(String request) {
        try {
            JsonNode name = JSON.readTree(request).path("template").path("name");
            return name.isTextual() ? name.asText() : null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static boolean stopReply(JsonNode payload) {
        if (payload == null || !"button".equals(payload.path("type").asText())) {
            return false;
        }
        String said = payload.path("button").path("payload").asText(payload.path("button").path("text").asText(""))
                .strip().toLowerCase();
        return said.equals("stop") || said.equals("stop promotions");
    }

    private static Instant at(CanonicalEvent fact) {
        return Optional.ofNullable(CanonicalEvent.instant(fact.occurredAt)).orElseGet(Instant::now);
    }
}
