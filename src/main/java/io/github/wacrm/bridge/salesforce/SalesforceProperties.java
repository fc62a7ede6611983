package io.github.wacrm.bridge.salesforce;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.github.wacrm.bridge.crm.BreakerSettings;

/**
 * {@code whatsapp.salesforce.*}: what the Salesforce sink writes and where. The object and field names default to the
 * shipped metadata ({@code salesforce/force-app}); an admin who renamed a field changes it here.
 *
 * @param enabled            whether the sink route starts
 * @param apiVersion         REST API version of the calls the bridge builds (collections upsert, query)
 * @param maxRecordsPerCall  records per sObject Collections call (Salesforce allows 200)
 * @param lockRetries        how often a record refused with UNABLE_TO_LOCK_ROW is sent again within one batch
 * @param lockRetryDelayMs   pause before each such retry, multiplied by the attempt
 * @param conversations      how inbound conversations become Cases or Leads
 * @param breaker            the circuit breaker around every Salesforce call
 * @param objects            record type (contact, lead, case, message, template, phone-number, account-event) → mapping
 */
@ConfigurationProperties("whatsapp.salesforce")
public record SalesforceProperties(boolean enabled, String apiVersion, int maxRecordsPerCall, int lockRetries,
        long lockRetryDelayMs, Conversations conversations, BreakerSettings breaker, Map<String, ObjectMapping> objects) {

    /** The types the bridge writes, in the order a batch writes them (people before what points at them). */
    public static final String CONTACT = "contact";
    public static final String LEAD = "lead";
    public static final String CASE = "case";
    public static final String MESSAGE = "message";
    public static final String TEMPLATE = "template";
    public static final String PHONE_NUMBER = "phone-number";
    public static final String ACCOUNT_EVENT = "account-event";

    public SalesforceProperties {
        if (maxRecordsPerCall < 1 || maxRecordsPerCall > 200) {
            throw new IllegalArgumentException("whatsapp.salesforce.max-records-per-call must be 1..200");
        }
        objects = objects == null ? Map.of() : objects;
        breaker = breaker == null ? BreakerSettings.DEFAULTS : breaker;
        conversations = conversations == null ? new Conversations(ConversationMode.CASE, Map.of(), null, null, null)
                : conversations;
    }

    public ObjectMapping object(String type) {
        ObjectMapping mapping = objects.get(type);
        if (mapping == null) {
            throw new IllegalStateException("whatsapp.salesforce.objects." + type + " is not configured");
        }
        return mapping;
    }

    /**
     * @param object     the sObject API name
     * @param externalId the unique external-id field the bridge upserts on
     * @param fields     logical field → API field name; a blank name leaves that field unwritten. References to other
     *                   records name the relationship (e.g. {@code contact: Contact__r}).
     */
    public record ObjectMapping(String object, String externalId, Map<String, String> fields) {

        public ObjectMapping {
            fields = fields == null ? Map.of() : fields;
        }

        /** The API name of a logical field, or null when it is not mapped. */
        public String field(String logical) {
            String name = fields.get(logical);
            return name == null || name.isBlank() ? null : name;
        }
    }


    /** What an inbound conversation opens in Salesforce. */
    public enum ConversationMode {
        /** the customer is a Contact; no Case */
        OFF,
        /** the customer is a Contact; a Case is opened when they have no open WhatsApp Case */
        CASE,
        /** the customer is a Lead (sales numbers); no Case */
        LEAD
    }

    /**
     * @param defaultMode          mode for business numbers not listed below
     * @param modeByPhoneNumberId  business phone-number id → mode (e.g. a sales number → lead)
     * @param caseSubject          subject of new Cases
     * @param caseOrigin           Case Origin of new Cases (a value of the org's Case Origin picklist)
     * @param leadCompany          Company of new Leads (required by Salesforce)
     */
    public record Conversations(ConversationMode defaultMode, Map<String, ConversationMode> modeByPhoneNumberId,
            String caseSubject, String caseOrigin, String leadCompany) {

        public Conversations {
            defaultMode = defaultMode == null ? ConversationMode.CASE : defaultMode;
            modeByPhoneNumberId = modeByPhoneNumberId == null ? Map.of() : modeByPhoneNumberId;
            caseSubject = caseSubject == null ? "WhatsApp conversation" : caseSubject;
            caseOrigin = caseOrigin == null ? "WhatsApp" : caseOrigin;
            leadCompany = leadCompany == null ? "WhatsApp" : leadCompany;
        }

        public ConversationMode modeFor(String phoneNumberId) {
            return phoneNumberId == null ? defaultMode : modeByPhoneNumberId.getOrDefault(phoneNumberId, defaultMode);
        }
    }
}
