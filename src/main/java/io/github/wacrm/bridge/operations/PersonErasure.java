package io.github.wacrm.bridge.operations;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.identity.PhoneIdentity;

/**
 * Erases one person from the bridge's own PostgreSQL tables, by phone number or BSUID. The person is every identity
 * linked to the one given (a BSUID Meta sent with a number, a number changed to another: {@code identity_link},
 * {@code phone_link}), followed to the end. In one transaction: the rows that exist only for them are deleted (send
 * ledger and its workflow callbacks, consent, 24 h windows, HubSpot ticket, identity and number links, the CRM sinks'
 * field clocks and person states keyed by their WhatsApp id), and the audit rows that keep what happened but name them
 * by hash lose the hash ({@code event_audit}, {@code send_audit}). The send ledger's trigger writes an {@code erased}
 * step for each request deleted, without the identity.
 */
@Component
public class PersonErasure {

    /** What one erasure did: rows deleted and rows anonymised per table, and how many identities the person had. */
    public record Erased(int identities, Map<String, Integer> deleted, Map<String, Integer> anonymised) {
    }

    // wider than a BSUID Meta issues today: the bridge keys any non-numeric wa_id as one (PhoneIdentity.identityKey)
    private static final Pattern BSUID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String BSUID_KEY = "bsuid:";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final PhoneIdentity phoneIdentity;

    public PersonErasure(JdbcTemplate jdbc, PlatformTransactionManager transactions, PhoneIdentity phoneIdentity) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.phoneIdentity = phoneIdentity;
    }

    /**
     * The identity key of a phone number (any form Meta sends: digits, +E.164, the MX/AR/BR variants) or a BSUID.
     *
     * @throws IllegalArgumentException when neither or both are given, or the one given is not a number / a BSUID
     */
    public String identityKey(String phone, String bsuid) {
        boolean byPhone = phone != null && !phone.isBlank();
        boolean byBsuid = bsuid != null && !bsuid.isBlank();
        if (byPhone == byBsuid) {
            throw new IllegalArgumentException("give either phone (E.164, +16505551234) or bsuid, not both");
        }
        if (byPhone) {
            String number = phone.strip().replace(" ", "");
            if (!PhoneIdentity.isPhoneNumber(number)) {
                throw new IllegalArgumentException("phone is not a phone number (E.164: +16505551234)");
            }
            return phoneIdentity.identityKey(number, null, null);
        }
        if (!BSUID.matcher(bsuid.strip()).matches()) {
            throw new IllegalArgumentException("bsuid is not a BSUID (1 to 128 letters, digits, '.', '_', ':', '-')");
        }
        return phoneIdentity.identityKey(null, bsuid.strip(), null);
    }

    /** Erases the person of this identity key and everyone linked to it; one transaction, all or nothing. */
    public Erased erase(String identityKey) {
        return transaction.execute(status -> {
            // the send ledger's trigger writes these deletes as 'erased', not 'withdrawn'
            jdbc.execute("SET LOCAL wacrm.erasure = 'on'");
            Set<String> keys = linked(identityKey);
            String[] keyArray = keys.toArray(String[]::new);
            String[] hashes = keys.stream().map(phoneIdentity::hash).toArray(String[]::new);
            String[] whatsappIds = keys.stream().map(Customer::whatsappId).toArray(String[]::new);
            Map<String, Integer> deleted = new LinkedHashMap<>();
            deleted.put("outbound_request", update("DELETE FROM outbound_request WHERE identity_hash = ANY(?) "
                    + "OR recipient = ANY(?)", hashes, whatsappIds));
            deleted.put("customer_consent", update("DELETE FROM customer_consent WHERE identity_hash = ANY(?)", hashes));
            deleted.put("customer_window", update("DELETE FROM customer_window WHERE identity_hash = ANY(?)", hashes));
            deleted.put("hubspot_ticket", update("DELETE FROM hubspot_ticket WHERE identity_hash = ANY(?)", hashes));
            deleted.put("identity_link", update("DELETE FROM identity_link WHERE identity_key = ANY(?) "
                    + "OR ('bsuid:' || user_id) = ANY(?)", keyArray, keyArray));
            deleted.put("phone_link", update("DELETE FROM phone_link WHERE identity_key = ANY(?) OR phone_key = ANY(?)",
                    keyArray, keyArray));
            // CRM record keys are type|external id; a person's external id is their WhatsApp id
            deleted.put("crm_field_clock", update("DELETE FROM crm_field_clock WHERE "
                    + "substr(record_key, strpos(record_key, '|') + 1) = ANY(?)", whatsappIds));
            deleted.put("crm_person_state", update("DELETE FROM crm_person_state WHERE "
                    + "substr(person_key, strpos(person_key, '|') + 1) = ANY(?)", whatsappIds));
            Map<String, Integer> anonymised = new LinkedHashMap<>();
            anonymised.put("event_audit", update("UPDATE event_audit SET identity_hash = NULL "
                    + "WHERE identity_hash = ANY(?)", hashes));
            // a Salesforce send's requested_by is the person's own Contact, Lead or Case id
            anonymised.put("send_audit", update("UPDATE send_audit SET identity_hash = NULL, requested_by = CASE "
                    + "WHEN source = 'salesforce' THEN NULL ELSE requested_by END WHERE identity_hash = ANY(?)", hashes));
            return new Erased(keys.size(), deleted, anonymised);
        });
    }

    /** The identity keys linked to this one, followed both ways until no new one turns up. */
    Set<String> linked(String identityKey) {
        Set<String> keys = new LinkedHashSet<>(List.of(identityKey));
        int before;
        do {
            before = keys.size();
            String[] known = keys.toArray(String[]::new);
            query("SELECT user_id, identity_key FROM identity_link WHERE identity_key = ANY(?) "
                    + "OR ('bsuid:' || user_id) = ANY(?)", rs -> {
                        keys.add(BSUID_KEY + rs.getString(1));
                        keys.add(rs.getString(2));
                    }, known, known);
            query("SELECT phone_key, identity_key FROM phone_link WHERE identity_key = ANY(?) "
                    + "OR phone_key = ANY(?)", rs -> {
                        keys.add(rs.getString(1));
                        keys.add(rs.getString(2));
                    }, known, known);
        } while (keys.size() > before);
        return keys;
    }

    private int update(String sql, String[]... arrays) {
        return jdbc.update(sql, asArrays(arrays));
    }

    private void query(String sql, RowCallbackHandler row, String[]... arrays) {
        jdbc.query(sql, asArrays(arrays), row);
    }

    /** Each parameter an array of identity keys, hashes or ids (as varchar[]). */
    private static PreparedStatementSetter asArrays(String[]... arrays) {
        return ps -> {
            for (int i = 0; i < arrays.length; i++) {
                ps.setArray(i + 1, ps.getConnection().createArrayOf("varchar", arrays[i]));
            }
        };
    }
}
