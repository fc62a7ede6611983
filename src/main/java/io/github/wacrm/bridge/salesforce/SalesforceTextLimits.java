package io.github.wacrm.bridge.salesforce;

import java.util.Map;

import io.github.wacrm.bridge.crm.TextCut;

/**
 * The sizes of the shipped metadata's text fields, by logical field name (others are 255), and texts
 * cut to them: what the fact mapper writes always fits, so Salesforce never refuses a record for a long text.
 */
final class SalesforceTextLimits {

    /** Sizes of the text fields of the shipped metadata (code points); others are 255. Pinned by a test. */
    static final Map<String, Integer> LIMITS = Map.ofEntries(
            Map.entry("body", 32768), Map.entry("details", 32768), Map.entry("e164", 20), Map.entry("region", 2),
            Map.entry("type", 40), Map.entry("reactionEmoji", 32), Map.entry("referralSourceType", 40),
            Map.entry("businessPhoneNumberId", 64), Map.entry("businessDisplayNumber", 32),
            Map.entry("pricingCategory", 40), Map.entry("conversationId", 64), Map.entry("language", 16),
            Map.entry("category", 40), Map.entry("previousCategory", 40), Map.entry("status", 40),
            Map.entry("qualityScore", 20), Map.entry("wabaId", 64), Map.entry("displayPhoneNumber", 32),
            Map.entry("qualityEvent", 40), Map.entry("messagingTier", 40), Map.entry("previousMessagingTier", 40),
            Map.entry("nameStatus", 40), Map.entry("field", 80), Map.entry("eventType", 80),
            Map.entry("phoneNumberId", 64), Map.entry("lastName", 80), Map.entry("templateId", 64),
            Map.entry("origin", 40), Map.entry("outboundRequestId", 36), Map.entry("askingContact", 18),
            Map.entry("askingLead", 18), Map.entry("askingCase", 18), Map.entry("mediaFileId", 18));

    private SalesforceTextLimits() {
    }

    /** The size of a logical field's text. */
    static int of(String logicalField) {
        return LIMITS.getOrDefault(logicalField, 255);
    }

    /**
     * The text cut to the logical field's size in UTF-16 code units, as Salesforce counts it (never inside a
     * character).
     */
    static String cut(String logicalField, String text) {
        return TextCut.toLength(text, of(logicalField));
    }
}
