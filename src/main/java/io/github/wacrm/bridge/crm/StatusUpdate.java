package io.github.wacrm.bridge.crm;

import static io.github.wacrm.bridge.event.PayloadValues.text;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * What a delivery status says about the business's message, the same for every CRM: which time field it sets
 * ({@link CrmRecord#statusTimeField}), its pricing category and, when it failed, Meta's error. A status without a
 * message id, or of a status no CRM keeps, is skipped.
 *
 * @param skippedReason null when the status is written
 */
public record StatusUpdate(String skippedReason, String status, String timeField, String pricingCategory,
        String conversationId, Integer failureCode, String failureTitle) {

    public static StatusUpdate of(CanonicalEvent fact) {
        if (fact.messageId == null) {
            return skipped("no_message_id");
        }
        JsonNode p = fact.payload;
        String status = text(p, "status");
        String timeField = CrmRecord.statusTimeField(status);
        if (timeField == null) {
            return skipped("status_not_synced");
        }
        JsonNode error = "failed".equals(status) ? p.path("errors").path(0) : null;
        return new StatusUpdate(null, status, timeField, text(p.path("pricing"), "category"),
                text(p.path("conversation"), "id"),
                error != null && error.path("code").isNumber() ? error.path("code").asInt() : null,
                error == null ? null : text(error, "title"));
    }

    public boolean failed() {
        return "failed".equals(status);
    }

    private static StatusUpdate skipped(String reason) {
        return new StatusUpdate(reason, null, null, null, null, null, null);
    }
}
