package io.github.wacrm.bridge.salesforce;

import static io.github.wacrm.bridge.event.PayloadValues.text;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.ACCOUNT_EVENT;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.PHONE_NUMBER;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.TEMPLATE;
import static io.github.wacrm.bridge.salesforce.SalesforceTextLimits.cut;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.event.BusinessNumber;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.salesforce.SalesforceFactMapper.Mapped;

/**
 * The business's own records of {@link SalesforceFactMapper}: a template (by Meta's id), a phone number (by its
 * display number in E.164) and an account event (by the fact's key). No person, no conversation.
 */
final class SalesforceBusinessRecords {

    private SalesforceBusinessRecords() {
    }

    static Mapped template(CanonicalEvent fact, int index) {
        ObjectNode p = fact.payload;
        String templateId = text(p, "templateId");
        if (templateId == null) {
            return Mapped.skipped("no_template_id");
        }
        String reason = text(p, "reason");
        CrmRecord template = new CrmRecord(TEMPLATE, templateId).fact(index)
                .put("name", cut("name", text(p, "templateName")))
                .put("language", cut("language", text(p, "language")))
                .put("status", cut("status", text(p, "status")))
                .put("rejectionReason", reason == null || "NONE".equals(reason) ? null : cut("rejectionReason", reason))
                .put("category", cut("category", text(p, "category")))
                .put("previousCategory", cut("previousCategory", text(p, "previousCategory")))
                .put("qualityScore", cut("qualityScore", text(p, "qualityScore")))
                .put("wabaId", cut("wabaId", fact.wabaId))
                .put("lastEventAt", fact.occurredAt);
        return new Mapped(List.of(template), null, null);
    }

    static Mapped phoneNumber(CanonicalEvent fact, int index) {
        ObjectNode p = fact.payload;
        String display = text(p, "displayPhoneNumber") != null ? text(p, "displayPhoneNumber") : fact.businessDisplayPhone;
        String e164 = BusinessNumber.e164(display);
        if (e164 == null) {
            return Mapped.skipped("no_display_phone_number");
        }
        CrmRecord number = new CrmRecord(PHONE_NUMBER, e164).fact(index)
                .put("displayPhoneNumber", cut("displayPhoneNumber", display))
                .put("phoneNumberId", cut("phoneNumberId", fact.phoneNumberId))
                .put("wabaId", cut("wabaId", fact.wabaId))
                .put("lastEventAt", fact.occurredAt);
        if ("phone_number_name_update".equals(fact.field)) {
            number.put("nameStatus", cut("nameStatus", text(p, "decision")))
                    .put("requestedVerifiedName", cut("requestedVerifiedName", text(p, "requestedVerifiedName")))
                    .put("nameRejectionReason", cut("nameRejectionReason", text(p, "rejectionReason")));
        } else {
            number.put("qualityEvent", cut("qualityEvent", text(p, "event")))
                    .put("messagingTier", cut("messagingTier", text(p, "currentLimit")))
                    .put("previousMessagingTier", cut("previousMessagingTier", text(p, "oldLimit")));
        }
        return new Mapped(List.of(number), null, null);
    }

    static Mapped accountEvent(CanonicalEvent fact, int index) {
        ObjectNode p = fact.payload;
        JsonNode value = p.path("value");
        JsonNode error = p.path("errors").path(0);
        CrmRecord event = new CrmRecord(ACCOUNT_EVENT, fact.dedupKey).fact(index)
                .put("wabaId", cut("wabaId", fact.wabaId))
                .put("field", cut("field", fact.field))
                .put("eventType", cut("eventType", text(value, "event")))
                .put("errorCode", error.path("code").isNumber() ? error.path("code").asInt() : null)
                .put("errorTitle", cut("errorTitle", text(error, "title")))
                .put("details", cut("details", value.isMissingNode() ? null : value.toString()))
                .put("occurredAt", fact.occurredAt);
        return new Mapped(List.of(event), null, null);
    }
}
