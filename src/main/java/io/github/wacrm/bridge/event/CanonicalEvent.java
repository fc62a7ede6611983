package io.github.wacrm.bridge.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One WhatsApp fact, as written to the events topic. The JSON form is documented in
 * {@code src/main/resources/schema/canonical-event.schema.json}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schemaVersion", "eventId", "dedupKey", "kind", "field", "wabaId", "phoneNumberId",
        "businessDisplayPhone", "occurredAt", "receivedAt", "partitionKey", "messageId", "customer", "payload"})
public class CanonicalEvent {

    public static final int SCHEMA_VERSION = 1;

    public int schemaVersion = SCHEMA_VERSION;
    /** Stable id: a name-based UUID of {@link #dedupKey}, the same on every redelivery. */
    public String eventId;
    /** The idempotency key of the fact: message → wamid, status → wamid + status, others → content hash. */
    public String dedupKey;
    public EventKind kind;
    /** The webhook {@code changes[].field}. */
    public String field;
    /** {@code entry[].id}: the WhatsApp Business Account. */
    public String wabaId;
    /** {@code value.metadata.phone_number_id}: the business number the fact belongs to. */
    public String phoneNumberId;
    public String businessDisplayPhone;
    /** ISO-8601 instant of the fact (message/status timestamp, else entry time, else receipt time). */
    public String occurredAt;
    /** ISO-8601 instant at which the bridge acknowledged the webhook. */
    public String receivedAt;
    /** Kafka key: customer identity, or template / phone number / WABA for management events. */
    public String partitionKey;
    /** The wamid, for messages and statuses. */
    public String messageId;
    public Customer customer;
    /** The kind-specific subset the sinks need; see the schema. */
    public ObjectNode payload;

    /** One of the ISO-8601 times of an event ({@link #occurredAt}, {@link #receivedAt}); null when absent or unreadable. */
    public static java.time.Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return java.time.Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException unreadable) {
            return null;
        }
    }

    /** Kafka key of the facts topic: the enriched customer identity (one key for 521…/52… forms), else the partition key. */
    @JsonIgnore
    public String getFactKey() {
        return customer != null && customer.identityKey != null ? customer.identityKey : partitionKey;
    }

    @JsonIgnore
    public String getKindName() {
        return kind == null ? null : kind.wireName();
    }

    /** The customer identity with all but its last characters masked, for logs; "-" without a customer. */
    @JsonIgnore
    public String getMaskedCustomer() {
        return customer == null ? "-" : customer.getMaskedIdentity();
    }

    /** The hashed customer identity, or null for events without a customer. */
    @JsonIgnore
    public String getIdentityHash() {
        return customer == null ? null : customer.identityHash;
    }

    public String getField() {
        return field;
    }

    public String getWabaId() {
        return wabaId;
    }

    public String getPhoneNumberId() {
        return phoneNumberId;
    }

    public String getBusinessDisplayPhone() {
        return businessDisplayPhone;
    }

    public String getOccurredAt() {
        return occurredAt;
    }

    public String getReceivedAt() {
        return receivedAt;
    }

    public String getMessageId() {
        return messageId;
    }

    public ObjectNode getPayload() {
        return payload;
    }

    public EventKind getKind() {
        return kind;
    }

    public String getDedupKey() {
        return dedupKey;
    }

    public String getEventId() {
        return eventId;
    }

    public String getPartitionKey() {
        return partitionKey;
    }

    public Customer getCustomer() {
        return customer;
    }
}
