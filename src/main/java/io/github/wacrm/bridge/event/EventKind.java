package io.github.wacrm.bridge.event;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** What one canonical event is about; the router sends each kind to its own route. */
public enum EventKind {
    /** An inbound message from a customer ({@code messages[]}). */
    MESSAGE,
    /** A delivery status of a message the business sent ({@code statuses[]}). */
    STATUS,
    /** {@code message_template_status_update}, {@code template_category_update}, {@code message_template_quality_update}. */
    TEMPLATE,
    /** {@code phone_number_quality_update}, {@code phone_number_name_update}. */
    PHONE_NUMBER,
    /** {@code account_update}, {@code account_review_update}, {@code business_capability_update}, {@code security}. */
    ACCOUNT,
    /** {@code user_preferences}: a customer stopped or resumed marketing messages. */
    USER_PREFERENCE,
    /** {@code value.errors[]} on a {@code messages} change: an error Meta reports about the business number. */
    ERROR,
    /** A WhatsApp call ({@code calls}: connect, terminate, recording; a call's status): one call activity per call id. */
    CALL,
    /** {@code smb_app_state_sync}: a contact added or changed in the WhatsApp Business app's address book. */
    APP_CONTACT,
    /** A message the bridge sent (the reverse routes), once Meta accepted it: the CRMs keep it as outbound. */
    OUTBOUND_MESSAGE,
    /** A field this version does not know; kept on the unhandled topic. */
    UNKNOWN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
