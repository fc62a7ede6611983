package io.github.wacrm.bridge.salesforce;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.crm.NumberChange;
import io.github.wacrm.bridge.crm.StatusUpdate;
import io.github.wacrm.bridge.crm.MappedFact;
import io.github.wacrm.bridge.event.BusinessNumber;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.MessageText;
import io.github.wacrm.bridge.salesforce.SalesforceProperties.ConversationMode;

import static io.github.wacrm.bridge.event.PayloadValues.text;
import static io.github.wacrm.bridge.salesforce.SalesforceTextLimits.cut;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CONTACT;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.LEAD;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.MESSAGE;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.PHONE_NUMBER;

/**
 * Turns one enriched canonical fact into the Salesforce records it touches, in logical field names: an inbound message
 * → its person (Contact or Lead) and its message record (and a Case intent); a status → the message record's
 * timestamp for that status; a template, phone-number or account fact → its record ({@link SalesforceBusinessRecords});
 * a user preference → the person's opt-in; a call or an app address-book contact → the person. Text is cut to the field sizes of the shipped metadata ({@link SalesforceTextLimits}).
 */
@Component
public class SalesforceFactMapper {

    /** What an inbound message asks of the conversation: a Case if its person has no open one. */
    public record CaseIntent(String personExternalId, String wamid, String phoneNumberId, int fact) {
    }

    public record Mapped(List<CrmRecord> records, CaseIntent caseIntent, String skippedReason) implements MappedFact {

        static Mapped skipped(String reason) {
            return new Mapped(List.of(), null, reason);
        }
    }

    private final SalesforceProperties properties;
    private final PhoneNumberLinks links;

    /** A mapper that links every business number afresh (tests). */
    public SalesforceFactMapper(SalesforceProperties properties) {
        this(properties, new PhoneNumberLinks());
    }

    @org.springframework.beans.factory.annotation.Autowired
    public SalesforceFactMapper(SalesforceProperties properties, PhoneNumberLinks links) {
        this.properties = properties;
        this.links = links;
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
            case TEMPLATE -> SalesforceBusinessRecords.template(fact, index);
            case PHONE_NUMBER -> SalesforceBusinessRecords.phoneNumber(fact, index);
            case ACCOUNT, ERROR -> SalesforceBusinessRecords.accountEvent(fact, index);
            case USER_PREFERENCE -> userPreference(fact, index);
            case CALL, APP_CONTACT -> personOnly(fact, index);
            default -> Mapped.skipped("kind_not_synced");
        };
    }

    /**
     * A call's customer, or a contact of the WhatsApp Business app's address book: their Contact (or Lead) is written,
     * so a call's Task (routes/74-call-activities) has a person to go on; the app's name names a new record only.
     */
    private Mapped personOnly(CanonicalEvent fact, int index) {
        String personId = Customer.whatsappId(fact.customer);
        if (personId == null || "remove".equals(text(fact.payload, "action"))) {
            return Mapped.skipped(personId == null ? "no_customer_identity" : "app_contact_removed");
        }
        ConversationMode mode = properties.conversations().modeFor(fact.phoneNumberId);
        CrmRecord person = person(fact, mode == ConversationMode.LEAD ? LEAD : CONTACT, personId, index);
        if (text(fact.payload, "fullName") != null) {
            person.createOnly("lastName", cut("lastName", text(fact.payload, "fullName")));
        }
        return new Mapped(List.of(person), null, null);
    }

    private Mapped message(CanonicalEvent fact, int index) {
        String personId = Customer.whatsappId(fact.customer);
        if (personId == null || fact.messageId == null) {
            return Mapped.skipped("no_customer_identity");
        }
        ConversationMode mode = properties.conversations().modeFor(fact.phoneNumberId);
        String personType = mode == ConversationMode.LEAD ? LEAD : CONTACT;
        // a message of the history shared at onboarding is kept with its time, but opens no Case and is no inbound
        boolean history = fact.payload.path("history").asBoolean(false);
        CrmRecord person = person(fact, personType, personId, index)
                .put("lastInboundAt", history ? null : fact.occurredAt);
        NumberChange.of(fact).ifPresent(change -> change.applyTo(person, SalesforceTextLimits.of("previousNumbers")));
        ObjectNode p = fact.payload;
        CrmRecord message = new CrmRecord(MESSAGE, fact.messageId).fact(index)
                .put("direction", "Inbound")
                .put("type", cut("type", text(p, "type")))
                .put("body", cut("body", MessageText.render(p)))
                .put("mediaId", cut("mediaId", text(p.path("media"), "id")))
                .put("mediaMimeType", cut("mediaMimeType", text(p.path("media"), "mimeType")))
                .put("mediaFilename", cut("mediaFilename", text(p.path("media"), "filename")))
                .put("replyTo", cut("replyTo", text(p.path("context"), "messageId")))
                .put("forwarded", p.path("context").path("forwarded").asBoolean(false) ? Boolean.TRUE : null)
                .put("frequentlyForwarded",
                        p.path("context").path("frequentlyForwarded").asBoolean(false) ? Boolean.TRUE : null)
                .put("reactionEmoji", cut("reactionEmoji", text(p.path("reaction"), "emoji")))
                .put("reactionTo", cut("reactionTo", text(p.path("reaction"), "messageId")))
                .put("referralSourceId", cut("referralSourceId", text(p.path("referral"), "sourceId")))
                .put("referralSourceType", cut("referralSourceType", text(p.path("referral"), "sourceType")))
                .put("referralSourceUrl", cut("referralSourceUrl", text(p.path("referral"), "sourceUrl")))
                .put("referralHeadline", cut("referralHeadline", text(p.path("referral"), "headline")))
                .put("referralCtwaClid", cut("referralCtwaClid", text(p.path("referral"), "ctwaClid")))
                .put("timestamp", fact.occurredAt);
        business(message, fact);
        message.put("customerWhatsappId", cut("customerWhatsappId", personId));
        message.reference(personType, personId);
        CaseIntent intent = mode == ConversationMode.CASE && !history
                ? new CaseIntent(personId, fact.messageId, fact.phoneNumberId, index) : null;
        return new Mapped(withLink(fact, index, person, message), intent, null);
    }

    /**
     * A message the bridge sent, refused to send, or whose outcome is unknown: one outbound record (statuses then update a sent one by wamid),
     * on the person's record and on the Salesforce record that asked for it (a WhatsApp Send event's recipient).
     */
    private Mapped outbound(CanonicalEvent fact, int index) {
        String personId = Customer.whatsappId(fact.customer);
        ObjectNode p = fact.payload;
        boolean refused = "refused".equals(text(p, "outcome"));
        if (fact.messageId == null || (personId == null && !refused)) {
            return Mapped.skipped("no_customer_identity");
        }
        // sent from the WhatsApp Business app (an echo, or the history): an edit or revoke changes the original
        boolean businessApp = "business_app".equals(text(p, "origin"));
        boolean revoked = p.path("revoked").asBoolean(false);
        boolean changed = revoked || p.path("edited").asBoolean(false);
        CrmRecord message = new CrmRecord(MESSAGE, fact.messageId).fact(index)
                .put("direction", "Outbound")
                .put("type", revoked ? null : cut("type", text(p, "type")))
                .put("body", cut("body", revoked ? "[deleted in WhatsApp by the business]" : text(p, "text")))
                .put("mediaId", cut("mediaId", text(p.path("media"), "id")))
                .put("mediaMimeType", cut("mediaMimeType", text(p.path("media"), "mimeType")))
                .put("mediaFilename", cut("mediaFilename", text(p.path("media"), "filename")))
                .put("templateName", cut("templateName", text(p.path("template"), "name")))
                .put("outboundRequestId", cut("outboundRequestId", text(p, "requestId")))
                .put("requestedBy", cut("requestedBy", businessApp ? "whatsapp-business-app" : text(p, "requestedBy")));
        if (changed) {
            message.createOnly("timestamp", fact.occurredAt);
        } else {
            message.put("timestamp", fact.occurredAt);
        }
        if (refused) {
            message.put("refusedAt", fact.occurredAt)
                    .put("refusalReason", cut("refusalReason", text(p, "reasonCode") + ": " + text(p, "reason")));
        } else if ("unknown".equals(text(p, "outcome"))) {
            message.put("unknownAt", fact.occurredAt);
        }
        AskingRecord.link(message, p, personId != null);
        business(message, fact);
        if (personId == null) {
            return new Mapped(List.of(message), null, null);
        }
        ConversationMode mode = properties.conversations().modeFor(fact.phoneNumberId);
        String personType = mode == ConversationMode.LEAD ? LEAD : CONTACT;
        CrmRecord person = person(fact, personType, personId, index);
        message.put("customerWhatsappId", cut("customerWhatsappId", personId));
        message.reference(personType, personId);
        return new Mapped(List.of(person, message), null, null);
    }

    private Mapped status(CanonicalEvent fact, int index) {
        StatusUpdate update = StatusUpdate.of(fact);
        if (update.skippedReason() != null) {
            return Mapped.skipped(update.skippedReason());
        }
        CrmRecord message = new CrmRecord(MESSAGE, fact.messageId).fact(index)
                .put(update.timeField(), fact.occurredAt)
                .put("pricingCategory", cut("pricingCategory", update.pricingCategory()))
                .put("conversationId", cut("conversationId", update.conversationId()));
        if (update.failed()) {
            message.put("failureCode", update.failureCode())
                    .put("failureTitle", cut("failureTitle", update.failureTitle()));
        }
        business(message, fact);
        message.put("customerWhatsappId", cut("customerWhatsappId", Customer.whatsappId(fact.customer)));
        return new Mapped(withLink(fact, index, message), null, null);
    }

    private Mapped userPreference(CanonicalEvent fact, int index) {
        String personId = Customer.whatsappId(fact.customer);
        String value = text(fact.payload, "value");
        if (personId == null || value == null) {
            return Mapped.skipped("no_customer_identity");
        }
        ConversationMode mode = properties.conversations().modeFor(fact.phoneNumberId);
        CrmRecord person = person(fact, mode == ConversationMode.LEAD ? LEAD : CONTACT, personId, index)
                .put("optInStatus", "stop".equals(value) ? "Opted Out" : "Opted In")
                .put("optInDate", fact.occurredAt);
        return new Mapped(List.of(person), null, null);
    }

    private CrmRecord person(CanonicalEvent fact, String type, String personId, int index) {
        Customer c = fact.customer;
        CrmRecord person = new CrmRecord(type, personId).fact(index)
                .put("e164", cut("e164", c.e164))
                .put("region", cut("region", c.region))
                .put("profileName", cut("profileName", c.profileName))
                .put("username", cut("username", c.username))
                .createOnly("lastName", cut("lastName", c.profileName != null && !c.profileName.isBlank()
                        ? c.profileName : personId));
        if (LEAD.equals(type)) {
            person.createOnly("company", cut("company", properties.conversations().leadCompany()));
        }
        return person;
    }

    /**
     * The records of a message or status fact, and the business number's record with its phone-number id when this
     * pod has not yet seen Salesforce write that link ({@link PhoneNumberLinks}).
     */
    private List<CrmRecord> withLink(CanonicalEvent fact, int index, CrmRecord... records) {
        String e164 = BusinessNumber.e164(fact.businessDisplayPhone);
        if (!links.needsLink(e164, fact.phoneNumberId)) {
            return List.of(records);
        }
        List<CrmRecord> all = new ArrayList<>(List.of(records));
        all.add(new CrmRecord(PHONE_NUMBER, e164).fact(index)
                .put("phoneNumberId", cut("phoneNumberId", fact.phoneNumberId))
                .put("displayPhoneNumber", cut("displayPhoneNumber", fact.businessDisplayPhone))
                .put("wabaId", cut("wabaId", fact.wabaId)));
        return all;
    }

    private static void business(CrmRecord record, CanonicalEvent fact) {
        record.put("businessPhoneNumberId", cut("businessPhoneNumberId", fact.phoneNumberId))
                .put("businessDisplayNumber", cut("businessDisplayNumber", fact.businessDisplayPhone));
    }
}
