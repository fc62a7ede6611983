package io.github.wacrm.bridge.hubspot;

import java.util.List;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.crm.NumberChange;
import io.github.wacrm.bridge.crm.StatusUpdate;
import io.github.wacrm.bridge.crm.TextCut;
import io.github.wacrm.bridge.crm.MappedFact;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.MessageText;

import static io.github.wacrm.bridge.event.PayloadValues.text;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.COMMUNICATIONS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACTS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.NOTES;

/**
 * Turns one enriched canonical fact into the HubSpot records it touches: an inbound message → its contact and a
 * WhatsApp communication (and a ticket intent); a status → the communication's timestamp for that status; a user
 * preference → the contact's opt-in and a note on its timeline. Template, phone-number and account facts have no
 * place in HubSpot's standard objects and are skipped (Salesforce keeps them).
 */
@Component
public class HubSpotFactMapper {

    /** HubSpot's text properties hold 65,536 characters; bodies are cut below that (never inside an emoji). */
    static final int BODY_LIMIT = 60_000;
    static final int TEXT_LIMIT = 255;

    /** What an inbound message asks of the conversation: a ticket if its contact has no open one. */
    public record TicketIntent(String contactId, String identityHash, String wamid, String phoneNumberId, int fact) {
    }

    public record Mapped(List<CrmRecord> records, TicketIntent ticketIntent, String skippedReason) implements MappedFact {

        static Mapped skipped(String reason) {
            return new Mapped(List.of(), null, reason);
        }
    }

    public Mapped map(CanonicalEvent fact, int index) {
        String unmappable = MappedFact.unmappable(fact);
        if (unmappable != null) {
            return Mapped.skipped(unmappable);
        }
        return switch (fact.kind) {
            case MESSAGE -> message(fact, index);
            case OUTBOUND_MESSAGE -> outbound(fact, index);
            case STATUS -> status(fact, index);
            case USER_PREFERENCE -> userPreference(fact, index);
            case CALL, APP_CONTACT -> personOnly(fact, index);
            default -> Mapped.skipped("kind_not_synced");
        };
    }

    private Mapped message(CanonicalEvent fact, int index) {
        String contactId = Customer.whatsappId(fact.customer);
        if (contactId == null || fact.messageId == null) {
            return Mapped.skipped("no_customer_identity");
        }
        // a message of the history shared at onboarding is kept with its time, but opens no ticket and is no inbound
        boolean history = fact.payload.path("history").asBoolean(false);
        CrmRecord contact = contact(fact.customer, contactId, index).put("lastInboundAt", history ? null : fact.occurredAt);
        NumberChange.of(fact).ifPresent(change -> change.applyTo(contact, TEXT_LIMIT));
        ObjectNode p = fact.payload;
        CrmRecord communication = communication(fact, index)
                .put("direction", "inbound")
                .put("type", cut(text(p, "type"), TEXT_LIMIT))
                .put("body", cut(MessageText.render(p), BODY_LIMIT))
                .put("timestamp", fact.occurredAt)
                .reference(CONTACTS, contactId);
        TicketIntent intent = history ? null : new TicketIntent(contactId, fact.customer.identityHash, fact.messageId,
                fact.phoneNumberId, index);
        return new Mapped(List.of(contact, communication), intent, null);
    }

    /**
     * A message the bridge sent (or refused, or whose outcome is unknown): one outbound communication, associated
     * with its contact (statuses update a sent one).
     */
    private Mapped outbound(CanonicalEvent fact, int index) {
        String contactId = Customer.whatsappId(fact.customer);
        if (contactId == null || fact.messageId == null) {
            return Mapped.skipped("no_customer_identity");
        }
        ObjectNode p = fact.payload;
        // sent from the WhatsApp Business app (an echo, or the history): an edit or revoke changes the original
        boolean revoked = p.path("revoked").asBoolean(false);
        CrmRecord communication = communication(fact, index)
                .put("direction", "outbound")
                .put("type", revoked ? null : cut(text(p, "type"), TEXT_LIMIT))
                .put("body", cut(revoked ? "[deleted in WhatsApp by the business]" : text(p, "text"), BODY_LIMIT))
                .reference(CONTACTS, contactId);
        if (revoked || p.path("edited").asBoolean(false)) {
            communication.createOnly("timestamp", fact.occurredAt);
        } else {
            communication.put("timestamp", fact.occurredAt);
        }
        if ("refused".equals(text(p, "outcome"))) {
            // never sent: the communication's error title says why (its error code is Meta's, a number)
            communication.put("failureTitle", cut("not sent (" + text(p, "reasonCode") + "): " + text(p, "reason"),
                    TEXT_LIMIT));
        } else if ("unknown".equals(text(p, "outcome"))) {
            communication.put("failureTitle", cut("outcome unknown: " + text(p, "reason"), TEXT_LIMIT));
        }
        return new Mapped(List.of(contact(fact.customer, contactId, index), communication), null, null);
    }

    private Mapped status(CanonicalEvent fact, int index) {
        StatusUpdate update = StatusUpdate.of(fact);
        if (update.skippedReason() != null) {
            return Mapped.skipped(update.skippedReason());
        }
        CrmRecord communication = communication(fact, index)
                .put("direction", "outbound")
                .put(update.timeField(), fact.occurredAt)
                .put("pricingCategory", cut(update.pricingCategory(), TEXT_LIMIT))
                // a communication HubSpot has not seen yet (a status before the send was logged) needs its time
                .createOnly("timestamp", fact.occurredAt);
        if (update.failed()) {
            communication.put("failureCode", update.failureCode() == null ? null : update.failureCode().toString())
                    .put("failureTitle", cut(update.failureTitle(), TEXT_LIMIT));
        }
        return new Mapped(List.of(communication), null, null);
    }

    private Mapped userPreference(CanonicalEvent fact, int index) {
        String contactId = Customer.whatsappId(fact.customer);
        String value = text(fact.payload, "value");
        if (contactId == null || value == null || fact.dedupKey == null) {
            return Mapped.skipped("no_customer_identity");
        }
        boolean optedOut = "stop".equals(value);
        CrmRecord contact = contact(fact.customer, contactId, index)
                .put("optInStatus", optedOut ? "opted_out" : "opted_in")
                .put("optInDate", fact.occurredAt);
        CrmRecord note = new CrmRecord(NOTES, fact.dedupKey).fact(index)
                .put("body", optedOut ? "WhatsApp: the customer asked to stop marketing messages."
                        : "WhatsApp: the customer asked to receive marketing messages again.")
                .put("timestamp", fact.occurredAt)
                .reference(CONTACTS, contactId);
        return new Mapped(List.of(contact, note), null, null);
    }

    /**
     * A call's customer (their contact is what the call, routes/74-call-activities, is associated with), or a contact of
     * the WhatsApp Business app's address book, whose name names a new contact only.
     */
    private Mapped personOnly(CanonicalEvent fact, int index) {
        String contactId = Customer.whatsappId(fact.customer);
        if (contactId == null || "remove".equals(text(fact.payload, "action"))) {
            return Mapped.skipped(contactId == null ? "no_customer_identity" : "app_contact_removed");
        }
        CrmRecord contact = contact(fact.customer, contactId, index);
        String first = text(fact.payload, "firstName");
        String full = text(fact.payload, "fullName");
        if (full != null) {
            String last = first != null && full.startsWith(first) ? full.substring(first.length()).strip() : full;
            contact.createOnly("firstName", cut(first, TEXT_LIMIT)).createOnly("lastName",
                    cut(last.isEmpty() ? null : last, TEXT_LIMIT));
        }
        return new Mapped(List.of(contact), null, null);
    }

    private static CrmRecord contact(Customer c, String contactId, int index) {
        CrmRecord contact = new CrmRecord(CONTACTS, contactId).fact(index)
                .put("e164", c.e164)
                .put("region", c.region)
                .put("profileName", cut(c.profileName, TEXT_LIMIT))
                .put("username", cut(c.username, TEXT_LIMIT));
        // a new contact is named after its WhatsApp profile; an existing contact's name is the agents' to change
        String name = c.profileName == null ? "" : c.profileName.strip();
        if (!name.isEmpty()) {
            int space = name.indexOf(' ');
            contact.createOnly("firstName", cut(space < 0 ? name : name.substring(0, space), TEXT_LIMIT));
            if (space > 0) {
                contact.createOnly("lastName", cut(name.substring(space + 1).strip(), TEXT_LIMIT));
            }
        }
        return contact;
    }

    private static CrmRecord communication(CanonicalEvent fact, int index) {
        return new CrmRecord(COMMUNICATIONS, fact.messageId).fact(index)
                .put("channelType", "WHATS_APP")
                .put("loggedFrom", "CRM")
                .put("customerWhatsappId", Customer.whatsappId(fact.customer))
                .put("businessPhoneNumberId", fact.phoneNumberId);
    }

    /** Cuts text to {@code limit} UTF-16 code units, never inside a character ({@link TextCut}). */
    static String cut(String text, int limit) {
        return TextCut.toLength(text, limit);
    }
}
