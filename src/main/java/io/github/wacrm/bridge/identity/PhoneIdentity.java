package io.github.wacrm.bridge.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Phone enrichment. Turns the {@code wa_id} WhatsApp sends into one E.164 identity per person, with region, number
 * type and a stable hash, and settles the country quirks that make other products create duplicate contacts:
 * <ul>
 *   <li>Mexico: mobiles arrive as {@code 521} + 10 digits; E.164 is {@code +52} + 10 digits.</li>
 *   <li>Argentina: mobiles arrive as {@code 549} + 10 digits, sometimes as {@code 54} + 10; E.164 is {@code +54 9}.</li>
 *   <li>Brazil: mobiles may come without the ninth digit ({@code 55} + area + 8 digits); E.164 carries it.</li>
 * </ul>
 * A number libphonenumber calls invalid is kept (test ranges are invalid). A BSUID or username is never treated as a
 * phone number: only an all-digit {@code wa_id} is.
 */
@Component("phoneIdentity")
public class PhoneIdentity {

    private static final PhoneNumberUtil PHONE_UTIL = PhoneNumberUtil.getInstance();
    private static final int MIN_DIGITS = 6;
    private static final int MAX_DIGITS = 15;

    private static final int REMEMBERED_NUMBERS = 100_000;

    private final byte[] hashSalt;
    /** Numbers read lately (libphonenumber and two hashes cost more than the rest of the router's work on a fact). */
    private final Map<String, Number> numbers = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Number> eldest) {
                    return size() > REMEMBERED_NUMBERS;
                }
            });

    public PhoneIdentity(@Value("${whatsapp.identity.hash-salt:}") String hashSalt) {
        this.hashSalt = hashSalt == null ? new byte[0] : hashSalt.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code waId} looks like a phone number (digits only, optional plus) rather than a BSUID or username. */
    public static boolean isPhoneNumber(String waId) {
        if (waId == null) {
            return false;
        }
        String digits = waId.startsWith("+") ? waId.substring(1) : waId;
        if (digits.length() < MIN_DIGITS || digits.length() > MAX_DIGITS) {
            return false;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The canonical E.164 string for a WhatsApp phone id, after the MX/AR/BR fixes; null when it is not a phone number.
     */
    public String canonicalE164(String waId) {
        if (!isPhoneNumber(waId)) {
            return null;
        }
        String digits = waId.startsWith("+") ? waId.substring(1) : waId;
        if (digits.length() == 13 && digits.startsWith("521")) {
            // Mexico: the mobile "1" after the country code was dropped from the numbering plan in 2019
            digits = "52" + digits.substring(3);
        } else if (digits.length() == 12 && digits.startsWith("54") && digits.charAt(2) != '9') {
            // Argentina: international mobile form is 54 9 + area code + number
            digits = "549" + digits.substring(2);
        } else if (digits.length() == 12 && digits.startsWith("55") && isBrazilianMobileWithoutNinthDigit(digits)) {
            // Brazil: mobiles gained a leading 9 after the two-digit area code
            digits = digits.substring(0, 4) + "9" + digits.substring(4);
        }
        return "+" + digits;
    }

    private static boolean isBrazilianMobileWithoutNinthDigit(String digits) {
        char areaFirst = digits.charAt(2);
        char subscriberFirst = digits.charAt(4);
        return areaFirst >= '1' && areaFirst <= '9' && subscriberFirst >= '6' && subscriberFirst <= '9';
    }

    /** The identity key used for Kafka partitioning and matching: phone first, then BSUID, then username. */
    public String identityKey(String waId, String userId, String username) {
        String e164 = canonicalE164(waId);
        if (e164 != null) {
            return "phone:" + e164;
        }
        if (userId != null && !userId.isBlank()) {
            return "bsuid:" + userId;
        }
        if (waId != null && !waId.isBlank()) {
            // a non-numeric wa_id is an identifier of its own (never rewritten as a phone number)
            return "bsuid:" + waId;
        }
        if (username != null && !username.isBlank()) {
            return "username:" + username;
        }
        return null;
    }

    /** Adds E.164, region, number type, validity, hash and identity key to the event's customer, in place. */
    public CanonicalEvent enrich(CanonicalEvent event) {
        if (event.customer != null) {
            fill(event.customer);
        }
        return event;
    }

    /** A customer of {@code waId} alone, enriched: E.164, region, number type, hash and identity key. */
    public Customer describe(String waId) {
        Customer customer = new Customer();
        customer.waId = waId;
        fill(customer);
        return customer;
    }

    private void fill(Customer customer) {
        String e164 = canonicalE164(customer.waId);
        Number number = null;
        if (e164 != null) {
            number = numbers.get(e164);
            if (number == null) {
                number = readNumber(e164);
                numbers.put(e164, number);
            }
            customer.e164 = number.e164();
            customer.phoneHash = number.phoneHash();
            customer.region = number.region();
            customer.validNumber = number.valid();
            customer.numberType = number.type();
        }
        customer.identityKey = identityKey(customer.waId, customer.userId, customer.username);
        customer.identityHash = customer.identityKey == null ? null
                : number != null && customer.identityKey.equals("phone:" + e164) ? number.identityHash()
                : hash(customer.identityKey);
    }

    /** What libphonenumber and the hashes make of one canonical number (the same every time: remembered). */
    private record Number(String e164, String phoneHash, String region, boolean valid, String type,
            String identityHash) {
    }

    private Number readNumber(String e164) {
        String region = null;
        boolean valid = false;
        String type = "UNKNOWN";
        String formatted = e164;
        try {
            PhoneNumber number = PHONE_UTIL.parse(e164, "ZZ");
            region = PHONE_UTIL.getRegionCodeForNumber(number);
            if (region == null) {
                region = PHONE_UTIL.getRegionCodeForCountryCode(number.getCountryCode());
            }
            region = "ZZ".equals(region) ? null : region;
            valid = PHONE_UTIL.isValidNumber(number);
            type = PHONE_UTIL.getNumberType(number).name();
            if (valid) {
                formatted = PHONE_UTIL.format(number, PhoneNumberFormat.E164);
            }
        } catch (NumberParseException unparseable) {
            // not a number libphonenumber can read: invalid, of unknown type
        }
        return new Number(formatted, hash(e164), region, valid, type, hash("phone:" + e164));
    }

    /** SHA-256 hex of the E.164 form, salted with {@code whatsapp.identity.hash-salt} when one is set. */
    public String hash(String e164) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(hashSalt);
            return HexFormat.of().formatHex(digest.digest(e164.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** A log-safe form of any customer identifier: the last four characters only. */
    public static String mask(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            return "-";
        }
        int keep = Math.min(4, identifier.length() / 3);
        return "*".repeat(Math.max(3, identifier.length() - keep)) + identifier.substring(identifier.length() - keep);
    }
}
