package io.github.wacrm.bridge.normalize;

import static io.github.wacrm.bridge.normalize.MetaFields.NODES;
import static io.github.wacrm.bridge.normalize.MetaFields.array;
import static io.github.wacrm.bridge.normalize.MetaFields.epochSeconds;
import static io.github.wacrm.bridge.normalize.MetaFields.putIfPresent;
import static io.github.wacrm.bridge.normalize.MetaFields.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;

/**
 * The facts of a {@code calls} change: one per {@code calls[]} entry (connect, terminate, call_recording_available,
 * call_transcription_available) and one per call status ({@code statuses[]} of {@code type: call}: RINGING, ACCEPTED,
 * REJECTED, ...). Each names its call ({@code messageId} is the wacid), the customer (the change's contact, else the
 * caller of a user-initiated call or the callee of a business-initiated one), and what the event tells of the call:
 * direction, status, start, end, duration. The SDP session and the customer's number are not kept.
 */
final class CallEvents {

    private CallEvents() {
    }

    static List<CanonicalEvent> of(WebhookNormalizer normalizer, Change c) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode call : array(c.value, "calls")) {
            events.add(call(normalizer, c, call));
        }
        for (JsonNode status : array(c.value, "statuses")) {
            events.add(status(normalizer, c, status));
        }
        return events;
    }

    private static CanonicalEvent call(WebhookNormalizer normalizer, Change c, JsonNode call) {
        CanonicalEvent e = normalizer.base(c, EventKind.CALL);
        String id = text(call, "id");
        String event = text(call, "event");
        String direction = lower(text(call, "direction"));
        e.messageId = id;
        e.occurredAt = epochSeconds(call.path("timestamp"), c.fallbackTime());
        String customerNumber = "business_initiated".equals(direction) ? text(call, "to") : text(call, "from");
        e.customer = customer(c, customerNumber);
        e.dedupKey = id != null && event != null ? "call:" + id + ":" + event : "call:" + c.hash(call);
        e.partitionKey = normalizer.partitionKey(e.customer, c);
        ObjectNode p = NODES.objectNode();
        putIfPresent(p, "callId", id);
        putIfPresent(p, "event", event);
        putIfPresent(p, "direction", direction);
        putIfPresent(p, "status", upper(text(call, "status")));
        if (call.has("start_time")) {
            putIfPresent(p, "startTime", epochSeconds(call.path("start_time"), null));
        }
        if (call.has("end_time")) {
            putIfPresent(p, "endTime", epochSeconds(call.path("end_time"), null));
        }
        if (call.path("duration").canConvertToLong()) {
            p.put("durationSeconds", call.path("duration").asLong());
        }
        putIfPresent(p, "bizOpaqueCallbackData", text(call, "biz_opaque_callback_data"));
        if (call.has("call_recording")) {
            p.put("recording", true);
        }
        if (call.has("call_transcription") || "call_transcription_available".equals(event)) {
            p.put("transcription", true);
        }
        if (c.value.path("errors").size() > 0) {
            p.set("errors", MessageParts.errors(c.value.path("errors")));
        }
        e.payload = p;
        return normalizer.finish(e);
    }

    /** A call's status ({@code statuses[]} with {@code type: call}): RINGING, ACCEPTED, REJECTED, ... */
    static CanonicalEvent status(WebhookNormalizer normalizer, Change c, JsonNode s) {
        CanonicalEvent e = normalizer.base(c, EventKind.CALL);
        String id = text(s, "id");
        String status = upper(text(s, "status"));
        e.messageId = id;
        e.occurredAt = epochSeconds(s.path("timestamp"), c.fallbackTime());
        e.customer = customer(c, text(s, "recipient_id"));
        e.dedupKey = id != null && status != null ? "call:" + id + ":status:" + status : "call:" + c.hash(s);
        e.partitionKey = normalizer.partitionKey(e.customer, c);
        ObjectNode p = NODES.objectNode();
        putIfPresent(p, "callId", id);
        p.put("event", "status");
        putIfPresent(p, "status", status);
        putIfPresent(p, "bizOpaqueCallbackData", text(s, "biz_opaque_callback_data"));
        e.payload = p;
        return normalizer.finish(e);
    }

    /** The change's contact when it has one (its wa_id and BSUIDs), else the number the call names. */
    private static Customer customer(Change c, String number) {
        JsonNode contact = c.value.path("contacts").path(0);
        if (contact.isObject()) {
            return FactCustomers.of(c.value, text(contact, "wa_id"), text(contact, "user_id"),
                    text(contact, "parent_user_id"));
        }
        return FactCustomers.of(c.value, number, null, null);
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static String upper(String text) {
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }
}
