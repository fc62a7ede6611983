package io.github.wacrm.bridge.hubspot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the bridge writes in HubSpot: per object type, the unique property it upserts on, the logical fields of a
 * {@link io.github.wacrm.bridge.crm.CrmRecord} and the HubSpot property each goes to, and the custom properties the
 * setup command creates (in a {@code whatsapp} property group). HubSpot's own properties ({@code mobilephone},
 * {@code hs_timestamp}, {@code hs_communication_body}, ...) are written, never created.
 */
public final class HubSpotSchema {

    public static final String CONTACTS = "contacts";
    public static final String COMMUNICATIONS = "communications";
    public static final String TICKETS = "tickets";
    public static final String NOTES = "notes";
    public static final String CALLS = "calls";
    public static final String GROUP = "whatsapp";

    /** A custom property the bridge needs. */
    public record Property(String objectType, String name, String label, String type, String fieldType, boolean unique) {
    }

    /** One object type the bridge writes: its unique id property and logical field → HubSpot property. */
    public record ObjectType(String name, String idProperty, Map<String, String> fields) {

        public String property(String logicalField) {
            String property = fields.get(logicalField);
            if (property == null) {
                throw new IllegalArgumentException(name + " has no HubSpot property for '" + logicalField + "'");
            }
            return property;
        }
    }

    public static final ObjectType CONTACT = new ObjectType(CONTACTS, "whatsapp_id", fields(
            "e164", "mobilephone",
            "region", "whatsapp_region",
            "profileName", "whatsapp_profile_name",
            "username", "whatsapp_username",
            "lastInboundAt", "whatsapp_last_inbound_at",
            "optInStatus", "whatsapp_opt_in_status",
            "optInDate", "whatsapp_opt_in_date",
            "previousNumbers", "whatsapp_previous_numbers",
            "numberChangedAt", "whatsapp_number_changed_at",
            "firstName", "firstname",
            "lastName", "lastname"));

    public static final ObjectType COMMUNICATION = new ObjectType(COMMUNICATIONS, "whatsapp_message_id", fields(
            "direction", "whatsapp_direction",
            "type", "whatsapp_message_type",
            "body", "hs_communication_body",
            "timestamp", "hs_timestamp",
            "customerWhatsappId", "whatsapp_customer_id",
            "businessPhoneNumberId", "whatsapp_business_phone_number_id",
            "sentAt", "whatsapp_sent_at",
            "deliveredAt", "whatsapp_delivered_at",
            "readAt", "whatsapp_read_at",
            "failedAt", "whatsapp_failed_at",
            "failureCode", "whatsapp_error_code",
            "failureTitle", "whatsapp_error_title",
            "pricingCategory", "whatsapp_pricing_category",
            "channelType", "hs_communication_channel_type",
            "loggedFrom", "hs_communication_logged_from",
            "mediaStatus", "whatsapp_media_status",
            "mediaFileId", "whatsapp_media_file_id"));

    public static final ObjectType TICKET = new ObjectType(TICKETS, "whatsapp_conversation_key", fields(
            "subject", "subject",
            "content", "content",
            "pipeline", "hs_pipeline",
            "stage", "hs_pipeline_stage",
            "whatsappId", "whatsapp_id",
            "businessPhoneNumberId", "whatsapp_business_phone_number_id"));

    public static final ObjectType NOTE = new ObjectType(NOTES, "whatsapp_event_id", fields(
            "body", "hs_note_body",
            "timestamp", "hs_timestamp"));

    /** A WhatsApp call (routes/74-call-activities): upserted on the call id. */
    public static final ObjectType CALL = new ObjectType(CALLS, "whatsapp_call_id", fields(
            "timestamp", "hs_timestamp",
            "title", "hs_call_title",
            "body", "hs_call_body",
            "direction", "hs_call_direction",
            "duration", "hs_call_duration",
            "status", "hs_call_status",
            "whatsappStatus", "whatsapp_call_status"));

    public static final List<ObjectType> OBJECT_TYPES = List.of(CONTACT, COMMUNICATION, TICKET, NOTE, CALL);

    /** The custom properties the setup command creates; the check at start requires all of them. */
    public static final List<Property> PROPERTIES = List.of(
            new Property(CONTACTS, "whatsapp_id", "WhatsApp ID", "string", "text", true),
            new Property(CONTACTS, "whatsapp_region", "WhatsApp region", "string", "text", false),
            new Property(CONTACTS, "whatsapp_profile_name", "WhatsApp profile name", "string", "text", false),
            new Property(CONTACTS, "whatsapp_username", "WhatsApp username", "string", "text", false),
            new Property(CONTACTS, "whatsapp_last_inbound_at", "WhatsApp last inbound at", "datetime", "date", false),
            new Property(CONTACTS, "whatsapp_opt_in_status", "WhatsApp opt-in status", "string", "text", false),
            new Property(CONTACTS, "whatsapp_opt_in_date", "WhatsApp opt-in date", "datetime", "date", false),
            new Property(CONTACTS, "whatsapp_previous_numbers", "WhatsApp previous numbers", "string", "text", false),
            new Property(CONTACTS, "whatsapp_number_changed_at", "WhatsApp number changed at", "datetime", "date",
                    false),
            new Property(COMMUNICATIONS, "whatsapp_message_id", "WhatsApp message id (wamid)", "string", "text", true),
            new Property(COMMUNICATIONS, "whatsapp_direction", "WhatsApp direction", "string", "text", false),
            new Property(COMMUNICATIONS, "whatsapp_message_type", "WhatsApp message type", "string", "text", false),
            new Property(COMMUNICATIONS, "whatsapp_customer_id", "WhatsApp customer id", "string", "text", false),
            new Property(COMMUNICATIONS, "whatsapp_business_phone_number_id", "WhatsApp business phone number id",
                    "string", "text", false),
            new Property(COMMUNICATIONS, "whatsapp_sent_at", "WhatsApp sent at", "datetime", "date", false),
            new Property(COMMUNICATIONS, "whatsapp_delivered_at", "WhatsApp delivered at", "datetime", "date", false),
            new Property(COMMUNICATIONS, "whatsapp_read_at", "WhatsApp read at", "datetime", "date", false),
            new Property(COMMUNICATIONS, "whatsapp_failed_at", "WhatsApp failed at", "datetime", "date", false),
            new Property(COMMUNICATIONS, "whatsapp_error_code", "WhatsApp error code", "number", "number", false),
            new Property(COMMUNICATIONS, "whatsapp_error_title", "WhatsApp error title", "string", "text", false),
            new Property(COMMUNICATIONS, "whatsapp_pricing_category", "WhatsApp pricing category", "string", "text",
                    false),
            // written by the media route (routes/73-hubspot-files): the file's outcome and its id in HubSpot's files
            new Property(COMMUNICATIONS, "whatsapp_media_status", "WhatsApp media status", "string", "text", false),
            new Property(COMMUNICATIONS, "whatsapp_media_file_id", "WhatsApp media file id", "string", "text", false),
            new Property(TICKETS, "whatsapp_conversation_key", "WhatsApp conversation key", "string", "text", true),
            new Property(TICKETS, "whatsapp_id", "WhatsApp ID", "string", "text", false),
            new Property(TICKETS, "whatsapp_business_phone_number_id", "WhatsApp business phone number id", "string",
                    "text", false),
            new Property(NOTES, "whatsapp_event_id", "WhatsApp event id", "string", "text", true),
            new Property(CALLS, "whatsapp_call_id", "WhatsApp call id (wacid)", "string", "text", true),
            new Property(CALLS, "whatsapp_call_status", "WhatsApp call status", "string", "text", false));

    private HubSpotSchema() {
    }

    public static ObjectType objectType(String name) {
        return OBJECT_TYPES.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no HubSpot object type " + name));
    }

    private static Map<String, String> fields(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Map.copyOf(map);
    }
}
