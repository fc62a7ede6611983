package io.github.wacrm.bridge.normalize;

import static io.github.wacrm.bridge.normalize.MetaFields.array;
import static io.github.wacrm.bridge.normalize.MetaFields.epochSeconds;
import static io.github.wacrm.bridge.normalize.MetaFields.putIfPresent;
import static io.github.wacrm.bridge.normalize.MetaFields.text;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.event.BusinessNumber;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;

/**
 * The facts of a number shared with the WhatsApp Business app (coexistence). {@code smb_message_echoes}: a message
 * staff sent from the app is an outbound message ({@code origin: business_app}); an {@code edit} changes the original
 * message ({@code edited}), a {@code revoke} deletes it ({@code revoked}). {@code history}: the chat history shared at
 * onboarding, thread by thread and chunk by chunk, each message with its original time and {@code history: true}
 * (the sinks then open no Case or ticket and note no inbound time); the business's own messages are outbound. A
 * message's dedup key is its wamid, so a chunk sent twice, or a message seen live and again in the history, is one
 * fact.
 */
final class CoexistenceEvents {

    private CoexistenceEvents() {
    }

    static List<CanonicalEvent> echoes(WebhookNormalizer normalizer, Change c) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode echo : array(c.value, "message_echoes")) {
            events.add(echo(normalizer, c, echo));
        }
        return events;
    }

    static List<CanonicalEvent> history(WebhookNormalizer normalizer, Change c) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode part : array(c.value, "history")) {
            for (JsonNode thread : array(part, "threads")) {
                for (JsonNode m : array(thread, "messages")) {
                    events.add(historyMessage(normalizer, c, m, text(thread, "id"), part.path("metadata")));
                }
            }
        }
        // the files of the history come apart, as messages of a history change
        for (JsonNode m : array(c.value, "messages")) {
            events.add(historyMessage(normalizer, c, m, null, null));
        }
        return events;
    }

    /** {@code smb_app_state_sync}: the contacts of the app's address book added, changed or removed. */
    static List<CanonicalEvent> appContacts(WebhookNormalizer normalizer, Change c) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode sync : array(c.value, "state_sync")) {
            JsonNode contact = sync.path("contact");
            if (!"contact".equals(text(sync, "type")) || text(contact, "phone_number") == null) {
                continue;
            }
            CanonicalEvent e = normalizer.base(c, EventKind.APP_CONTACT);
            e.occurredAt = epochSeconds(sync.path("metadata").path("timestamp"), c.fallbackTime());
            e.customer = FactCustomers.of(c.value, text(contact, "phone_number"), null, null);
            e.dedupKey = "app_contact:" + c.hash(sync);
            e.partitionKey = normalizer.partitionKey(e.customer, c);
            ObjectNode p = MetaFields.NODES.objectNode();
            putIfPresent(p, "action", text(sync, "action"));
            putIfPresent(p, "fullName", text(contact, "full_name"));
            putIfPresent(p, "firstName", text(contact, "first_name"));
            e.payload = p;
            events.add(normalizer.finish(e));
        }
        return events;
    }

    private static CanonicalEvent echo(WebhookNormalizer normalizer, Change c, JsonNode echo) {
        CanonicalEvent e = normalizer.base(c, EventKind.OUTBOUND_MESSAGE);
        String type = text(echo, "type");
        String own = text(echo, "id");
        JsonNode original = "edit".equals(type) ? echo.path("edit") : "revoke".equals(type) ? echo.path("revoke") : null;
        // an edit or a revoke changes the message it names
        e.messageId = original != null && text(original, "original_message_id") != null
                ? text(original, "original_message_id") : own;
        e.occurredAt = epochSeconds(echo.path("timestamp"), c.fallbackTime());
        e.customer = customer(c, echo, text(echo, "to"), text(echo, "from"));
        e.dedupKey = own != null ? "echo:" + own : "echo:" + c.hash(echo);
        e.partitionKey = normalizer.partitionKey(e.customer, c);
        ObjectNode p;
        if ("edit".equals(type)) {
            p = outbound(echo.path("edit").path("message"));
            p.put("edited", true);
        } else if ("revoke".equals(type)) {
            p = MetaFields.NODES.objectNode();
            p.put("revoked", true);
        } else {
            p = outbound(echo);
        }
        p.put("origin", "business_app");
        e.payload = p;
        return normalizer.finish(e);
    }

    private static CanonicalEvent historyMessage(WebhookNormalizer normalizer, Change c, JsonNode m, String threadId,
            JsonNode metadata) {
        boolean fromBusiness = isBusiness(c, text(m, "from"));
        CanonicalEvent e = normalizer.base(c, fromBusiness ? EventKind.OUTBOUND_MESSAGE : EventKind.MESSAGE);
        e.messageId = text(m, "id");
        e.occurredAt = epochSeconds(m.path("timestamp"), c.fallbackTime());
        e.customer = fromBusiness ? customer(c, m, threadId != null ? threadId : text(m, "to"), null)
                : FactCustomers.ofMessage(c.value, m);
        // the keys of the live message (or echo): a message seen live and again in the history is one fact
        String key = fromBusiness ? "echo:" : "message:";
        e.dedupKey = e.messageId != null ? key + e.messageId : key + c.hash(m);
        e.partitionKey = normalizer.partitionKey(e.customer, c);
        ObjectNode p = fromBusiness ? outbound(m) : MessageParts.messagePayload(m);
        p.put("history", true);
        putIfPresent(p, "historyStatus", text(m.path("history_context"), "status"));
        if (metadata != null && metadata.has("phase")) {
            p.put("historyPhase", metadata.path("phase").asInt());
        }
        if (fromBusiness) {
            p.put("origin", "business_app");
        }
        e.payload = p;
        return normalizer.finish(e);
    }

    /** An outbound message's payload: the message's parts, its text (or caption) where the sinks read a body. */
    private static ObjectNode outbound(JsonNode m) {
        ObjectNode p = MessageParts.messagePayload(m);
        if (!p.hasNonNull("text") && p.hasNonNull("caption")) {
            p.put("text", p.path("caption").asText());
        }
        return p;
    }

    /**
     * The customer of a business message: the change's contact when it has one, else the number that is not the
     * business's ({@code to} by Meta's reference; some senders swap them).
     */
    private static Customer customer(Change c, JsonNode m, String to, String from) {
        JsonNode contact = c.value.path("contacts").path(0);
        if (contact.isObject()) {
            return FactCustomers.of(c.value, text(contact, "wa_id"), text(contact, "user_id"),
                    text(contact, "parent_user_id"));
        }
        String number = to != null && !isBusiness(c, to) ? to : from != null && !isBusiness(c, from) ? from : to;
        return FactCustomers.of(c.value, number, text(m, "to_user_id"), text(m, "to_parent_user_id"));
    }

    private static boolean isBusiness(Change c, String number) {
        String business = BusinessNumber.e164(c.displayPhone);
        return number != null && business != null && business.equals(BusinessNumber.e164(number));
    }
}
