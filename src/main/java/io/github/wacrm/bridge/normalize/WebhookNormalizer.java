package io.github.wacrm.bridge.normalize;

import static io.github.wacrm.bridge.normalize.MetaFields.NODES;
import static io.github.wacrm.bridge.normalize.MetaFields.array;
import static io.github.wacrm.bridge.normalize.MetaFields.epochSeconds;
import static io.github.wacrm.bridge.normalize.MetaFields.putIfPresent;
import static io.github.wacrm.bridge.normalize.MetaFields.text;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.event.BusinessNumber;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;

/**
 * Splits one signed webhook delivery into one {@link CanonicalEvent} per fact: every entry, every change, every
 * message, every status, every user preference. A delivery that cannot be read as a WhatsApp envelope throws
 * {@link MalformedWebhookException} with a reason code, so the route can dead-letter it.
 */
@Component("webhookNormalizer")
public class WebhookNormalizer {

    private static final String ENVELOPE_OBJECT = "whatsapp_business_account";
    private static final Set<String> TEMPLATE_FIELDS = Set.of(
            "message_template_status_update", "template_category_update", "message_template_quality_update");
    private static final Set<String> PHONE_NUMBER_FIELDS = Set.of(
            "phone_number_quality_update", "phone_number_name_update");
    private static final Set<String> ACCOUNT_FIELDS = Set.of(
            "account_update", "account_review_update", "business_capability_update", "security");

    private final DeliveryParser parser;
    private final PhoneIdentity phoneIdentity;
    private final int maxTextCodePoints;

    public WebhookNormalizer(PhoneIdentity phoneIdentity) {
        this(phoneIdentity, TextBound.MAX_CODE_POINTS);
    }

    /** @param maxTextCodePoints the bound of any text of a fact ({@link TextBound}) */
    @Autowired
    public WebhookNormalizer(PhoneIdentity phoneIdentity,
            @Value("${whatsapp.normalize.max-text-code-points:"
                    + TextBound.MAX_CODE_POINTS + "}") int maxTextCodePoints) {
        this.phoneIdentity = phoneIdentity;
        this.maxTextCodePoints = maxTextCodePoints;
        this.parser = new DeliveryParser();
    }

    /**
     * @param body       the raw bytes Meta signed
     * @param receivedAt ISO-8601 instant the intake acknowledged them (Kafka record header), or null
     */
    public List<CanonicalEvent> normalize(@Body byte[] body, @Header("whatsapp-received-at") String receivedAt) {
        JsonNode root = parser.parse(body);
        if (!root.isObject() || !ENVELOPE_OBJECT.equals(root.path("object").asText(null))) {
            throw new MalformedWebhookException("not_whatsapp_envelope", "object is not " + ENVELOPE_OBJECT);
        }
        JsonNode entries = root.get("entry");
        // an empty entry list (or an entry with no changes) is a valid delivery with no facts
        if (entries == null || !entries.isArray()) {
            throw new MalformedWebhookException("not_whatsapp_envelope", "entry is missing or not a list");
        }
        String received = receivedAt == null || receivedAt.isBlank() ? Instant.now().toString() : receivedAt;
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode entry : entries) {
            JsonNode changes = entry.get("changes");
            if (!entry.isObject() || changes == null || !changes.isArray()) {
                throw new MalformedWebhookException("not_whatsapp_envelope", "entry without a changes array");
            }
            for (JsonNode change : changes) {
                Change context = new Change(text(entry, "id"), entry.path("time"), change, received);
                events.addAll(eventsOf(context));
            }
        }
        return events;
    }

    private List<CanonicalEvent> eventsOf(Change c) {
        // a change without a field (Meta always sends one; the fuzzer found the crash) is a fact of an unknown kind
        String field = c.field == null ? "" : c.field;
        JsonNode value = c.value;
        List<CanonicalEvent> events = new ArrayList<>();
        if ("messages".equals(field)) {
            for (JsonNode message : array(value, "messages")) {
                events.add(message(c, message));
            }
            for (JsonNode status : array(value, "statuses")) {
                // a call's status (type call) belongs to the call's activity, not to a message
                events.add("call".equals(text(status, "type")) ? CallEvents.status(this, c, status) : status(c, status));
            }
            // Meta's errors of the value itself, alone or beside messages it could not read whole: a fact of its own
            if (value.path("errors").size() > 0) {
                events.add(management(c, EventKind.ERROR, "waba:" + c.wabaId));
            }
            if (events.isEmpty()) {
                events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
            }
        } else if ("smb_message_echoes".equals(field) || "history".equals(field)) {
            events.addAll("history".equals(field) ? CoexistenceEvents.history(this, c) : CoexistenceEvents.echoes(this, c));
            if (events.isEmpty()) {
                events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
            }
        } else if ("smb_app_state_sync".equals(field)) {
            events.addAll(CoexistenceEvents.appContacts(this, c));
            if (events.isEmpty()) {
                events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
            }
        } else if ("calls".equals(field)) {
            events.addAll(CallEvents.of(this, c));
            if (events.isEmpty()) {
                events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
            }
        } else if ("user_preferences".equals(field)) {
            for (JsonNode preference : array(value, "user_preferences")) {
                events.add(userPreference(c, preference));
            }
            if (events.isEmpty()) {
                events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
            }
        } else if (TEMPLATE_FIELDS.contains(field)) {
            events.add(template(c));
        } else if (PHONE_NUMBER_FIELDS.contains(field)) {
            // keyed by the number in E.164: what every phone-number webhook carries (a real quality update has no
            // phone_number_id), so one number's updates keep their order
            String e164 = BusinessNumber.e164(text(value, "display_phone_number"));
            String number = e164 != null ? e164 : c.phoneNumberId;
            events.add(phoneNumber(c, "phone-number:" + (number != null ? number : c.wabaId)));
        } else if (ACCOUNT_FIELDS.contains(field)) {
            events.add(management(c, EventKind.ACCOUNT, "waba:" + c.wabaId));
        } else {
            events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
        }
        return events;
    }

    // ---------------------------------------------------------------- messages

    private CanonicalEvent message(Change c, JsonNode m) {
        CanonicalEvent e = base(c, EventKind.MESSAGE);
        e.messageId = text(m, "id");
        e.occurredAt = epochSeconds(m.path("timestamp"), c.fallbackTime());
        e.customer = FactCustomers.ofMessage(c.value, m);
        e.dedupKey = e.messageId != null ? "message:" + e.messageId : "message:" + c.hash(m);
        e.partitionKey = partitionKey(e.customer, c);
        JsonNode system = m.path("system");
        if ("user_changed_number".equals(text(system, "type")) && PhoneIdentity.isPhoneNumber(text(system, "wa_id"))) {
            // a change of number is ordered with the new number's facts, which follow the link it makes
            e.partitionKey = phoneIdentity.identityKey(text(system, "wa_id"), null, null);
        }
        e.payload = MessageParts.messagePayload(m);
        return finish(e);
    }

    // ---------------------------------------------------------------- statuses

    private CanonicalEvent status(Change c, JsonNode s) {
        CanonicalEvent e = base(c, EventKind.STATUS);
        e.messageId = text(s, "id");
        String status = text(s, "status");
        e.occurredAt = epochSeconds(s.path("timestamp"), c.fallbackTime());
        // Meta's BSUID reference writes parent_recipient_user_id (every real body); recipient_parent_user_id is read too
        String parent = text(s, "parent_recipient_user_id") != null ? text(s, "parent_recipient_user_id")
                : text(s, "recipient_parent_user_id");
        Customer customer;
        if ("group".equals(text(s, "recipient_type"))) {
            // a status of a message to a WhatsApp group: recipient_id is the group; the person is the participant
            customer = FactCustomers.of(c.value, text(s, "recipient_participant_id"),
                    text(s, "recipient_participant_user_id"), text(s, "recipient_participant_parent_user_id"));
        } else {
            customer = FactCustomers.of(c.value, text(s, "recipient_id"), text(s, "recipient_user_id"), parent);
        }
        e.customer = customer;
        e.dedupKey = e.messageId != null && status != null
                ? "status:" + e.messageId + ":" + status
                : "status:" + c.hash(s);
        e.partitionKey = partitionKey(customer, c);
        e.payload = MessageParts.statusPayload(s, status);
        return finish(e);
    }

    // ---------------------------------------------------------------- management fields

    private CanonicalEvent userPreference(Change c, JsonNode preference) {
        CanonicalEvent e = base(c, EventKind.USER_PREFERENCE);
        Customer customer = FactCustomers.of(c.value, text(preference, "wa_id"), text(preference, "user_id"),
                text(preference, "parent_user_id"));
        e.customer = customer;
        e.occurredAt = epochSeconds(preference.path("timestamp"), c.fallbackTime());
        e.dedupKey = "user_preference:" + c.hash(preference);
        e.partitionKey = partitionKey(customer, c);
        ObjectNode p = NODES.objectNode();
        putIfPresent(p, "category", text(preference, "category"));
        putIfPresent(p, "value", text(preference, "value"));
        putIfPresent(p, "detail", text(preference, "detail"));
        e.payload = p;
        return finish(e);
    }

    private CanonicalEvent template(Change c) {
        JsonNode v = c.value;
        String templateId = text(v, "message_template_id");
        CanonicalEvent e = management(c, EventKind.TEMPLATE, "template:" + (templateId != null ? templateId : c.wabaId));
        ObjectNode p = e.payload;
        putIfPresent(p, "templateId", templateId);
        putIfPresent(p, "templateName", text(v, "message_template_name"));
        putIfPresent(p, "language", text(v, "message_template_language"));
        putIfPresent(p, "status", text(v, "event"));
        putIfPresent(p, "reason", text(v, "reason"));
        putIfPresent(p, "category", text(v, "new_category") != null ? text(v, "new_category") : text(v, "category"));
        putIfPresent(p, "previousCategory", text(v, "previous_category"));
        putIfPresent(p, "qualityScore", text(v, "new_quality_score"));
        putIfPresent(p, "previousQualityScore", text(v, "previous_quality_score"));
        TextBound.apply(p, maxTextCodePoints);
        return e;
    }

    private CanonicalEvent phoneNumber(Change c, String partitionKey) {
        JsonNode v = c.value;
        CanonicalEvent e = management(c, EventKind.PHONE_NUMBER, partitionKey);
        ObjectNode p = e.payload;
        putIfPresent(p, "displayPhoneNumber", text(v, "display_phone_number"));
        putIfPresent(p, "event", text(v, "event"));
        putIfPresent(p, "currentLimit", text(v, "current_limit"));
        putIfPresent(p, "oldLimit", text(v, "old_limit"));
        putIfPresent(p, "decision", text(v, "decision"));
        putIfPresent(p, "requestedVerifiedName", text(v, "requested_verified_name"));
        putIfPresent(p, "rejectionReason", text(v, "rejection_reason"));
        TextBound.apply(p, maxTextCodePoints);
        return e;
    }

    private CanonicalEvent management(Change c, EventKind kind, String partitionKey) {
        CanonicalEvent e = base(c, kind);
        e.occurredAt = epochSeconds(c.value.path("timestamp"), c.fallbackTime());
        e.dedupKey = kind.wireName() + ":" + c.hash(c.value);
        e.partitionKey = partitionKey;
        ObjectNode p = NODES.objectNode();
        if (kind == EventKind.ERROR) {
            p.set("errors", MessageParts.errors(c.value.path("errors")));
        }
        ObjectNode value = c.value.isObject() ? ((ObjectNode) c.value).deepCopy() : NODES.objectNode();
        if (kind == EventKind.ERROR) {
            // the messages, statuses and contacts beside the errors are facts of their own: not copied here
            value.remove(List.of("messages", "statuses", "contacts"));
        }
        p.set("value", c.value.isObject() ? value : c.value.deepCopy());
        e.payload = p;
        return finish(e);
    }

    // ---------------------------------------------------------------- shared pieces

    CanonicalEvent base(Change c, EventKind kind) {
        CanonicalEvent e = new CanonicalEvent();
        e.kind = kind;
        e.field = c.field;
        e.wabaId = c.wabaId;
        e.phoneNumberId = c.phoneNumberId;
        e.businessDisplayPhone = c.displayPhone;
        e.receivedAt = c.receivedAt;
        return e;
    }

    CanonicalEvent finish(CanonicalEvent e) {
        if (e.payload != null) {
            TextBound.apply(e.payload, maxTextCodePoints);
        }
        e.eventId = UUID.nameUUIDFromBytes(e.dedupKey.getBytes(StandardCharsets.UTF_8)).toString();
        return e;
    }

    String partitionKey(Customer customer, Change c) {
        String identity = phoneIdentity.identityKey(customer.waId, customer.userId, customer.username);
        if (identity != null) {
            return identity;
        }
        return "phone-number:" + (c.phoneNumberId != null ? c.phoneNumberId : c.wabaId);
    }
}
