package io.github.wacrm.bridge.outbound;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request to send a WhatsApp message, whichever entry point it came through (REST today; a Salesforce Platform
 * Event or a HubSpot workflow action later): what the {@code whatsapp.outbound.requests} topic carries, keyed by the
 * recipient's identity, and what the send ledger keeps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutboundRequest {

    /** The ledger id (a UUID), echoed by Meta in {@code biz_opaque_callback_data} as {@code wacrm:<id>}. */
    public String id;
    /** The business number to send from. */
    public String phoneNumberId;
    /** E.164 ({@code +16505551234}) or a BSUID ({@code US.1349…}). */
    public String to;
    /** The recipient's identity key ({@code phone:+…}, {@code bsuid:…}) after the links of one person, one record. */
    public String identityKey;
    public String identityHash;
    /** A template to send; else {@link #text}. */
    public Template template;
    /** A free-form text, only inside the customer-service window. */
    public String text;
    /** Where it came from: {@code api}, {@code salesforce}, {@code hubspot}. */
    public String source;
    /** Who asked: the API token's name, the CRM record or the workflow. */
    public String requestedBy;
    /** The caller's own reference, echoed back. */
    public String correlationId;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Template {
        public String name;
        public String language;
        /** Body parameters: an array (positional templates) or an object (named templates). */
        public JsonNode parameters;
        /** The header's parameter: {@code {"text"}}, {@code {"image"|"video"|"document": {"link"|"id"}}}, {@code {"location"}}. */
        public JsonNode header;
        /** The buttons' values by button index: {@code {"0": "url-suffix"}}. */
        public JsonNode buttons;
    }

    public String getId() {
        return id;
    }

    @JsonIgnore
    public boolean toBsuid() {
        return identityKey != null && identityKey.startsWith("bsuid:") && !to.startsWith("+");
    }

    /** The recipient as Meta's {@code to} takes it: digits only for a phone number. */
    @JsonIgnore
    public String recipientForMeta() {
        return to.startsWith("+") ? to.substring(1) : to;
    }
}
