package io.github.wacrm.bridge.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.github.wacrm.bridge.identity.PhoneIdentity;

/**
 * Who the customer is, as WhatsApp said it, plus what phone enrichment adds. Any of the WhatsApp identifiers may be
 * missing: since 2026 a user with a username may come with a BSUID ({@code userId}) and no phone number at all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Customer {

    /** {@code wa_id}: the phone number as WhatsApp sends it (digits, no plus), when present. */
    public String waId;
    /** {@code user_id}: the business-scoped user id (BSUID), e.g. {@code BR.1502576394655843}. */
    public String userId;
    /** {@code parent_user_id}: the parent BSUID shared across portfolios, when enabled. */
    public String parentUserId;
    /** {@code profile.username}, when the user has one. */
    public String username;
    /** {@code profile.name}. */
    public String profileName;

    // ---- filled by phone enrichment ----
    /** E.164 form after the country fixes (MX 521, AR 549, BR ninth digit); null without a phone number. */
    public String e164;
    /** ISO region of the number, e.g. {@code MX}. */
    public String region;
    /** libphonenumber's number type, e.g. {@code MOBILE}; {@code UNKNOWN} when it cannot tell. */
    public String numberType;
    /** Whether libphonenumber calls the number valid. Invalid numbers are kept all the same. */
    public Boolean validNumber;
    /** SHA-256 (hex) of the E.164 form: the stable key for matching a person across CRMs without the number. */
    public String phoneHash;
    /** The one identity to match on: {@code phone:+E164}, else {@code bsuid:<id>}, else {@code username:<name>}. */
    public String identityKey;

    /** SHA-256 (hex) of {@link #identityKey}: who, for the audit trail, without the identifier itself. */
    public String identityHash;

    /** The identity key with all but its last characters masked: the only customer reference logs may carry. */
    @JsonIgnore
    public String getMaskedIdentity() {
        String key = identityKey != null ? identityKey : waId != null ? waId : userId;
        return PhoneIdentity.mask(key);
    }

    public String getWaId() {
        return waId;
    }

    public String getUserId() {
        return userId;
    }

    public String getParentUserId() {
        return parentUserId;
    }

    public String getUsername() {
        return username;
    }

    public String getProfileName() {
        return profileName;
    }

    public String getE164() {
        return e164;
    }

    public String getRegion() {
        return region;
    }

    public String getNumberType() {
        return numberType;
    }

    public String getPhoneHash() {
        return phoneHash;
    }

    public String getIdentityKey() {
        return identityKey;
    }

    public String getIdentityHash() {
        return identityHash;
    }

    public Boolean getValidNumber() {
        return validNumber;
    }

    public boolean hasAnyIdentity() {
        return waId != null || userId != null || username != null;
    }

    /**
     * E.164 for phone users, else the BSUID, else {@code @username}: the id a CRM keys the person by (Salesforce
     * {@code WhatsApp_Id__c}, HubSpot {@code whatsapp_id}).
     */
    public static String whatsappId(Customer customer) {
        return customer == null ? null : whatsappId(customer.identityKey);
    }

    /** {@link #whatsappId(Customer)} of an identity key ({@code phone:+E164}, {@code bsuid:…}, {@code username:…}). */
    public static String whatsappId(String key) {
        if (key == null) {
            return null;
        }
        if (key.startsWith("phone:")) {
            return key.substring("phone:".length());
        }
        if (key.startsWith("bsuid:")) {
            return key.substring("bsuid:".length());
        }
        return "@" + key.substring(key.indexOf(':') + 1);
    }
}
