package io.github.wacrm.bridge.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;

/**
 * One person, one record across a change of number. A system message of type {@code user_changed_number} (sent from
 * the old number, naming the new {@code wa_id}) links the new number's identity key to the key the person's CRM
 * record is keyed by, its root ({@code phone_link}, PostgreSQL, shared by every replica). Every later fact of the new
 * number then takes the root's identity key (its Contact, Case, consent, 24 h window and facts partition) while its
 * own E.164 is what the CRM shows as the person's number. The change fact itself carries, for the CRMs, the new
 * number ({@code newE164}, {@code newRegion}) and every number the person used before ({@code previousNumbers}, oldest
 * first). A number that comes back to the root is unlinked. Links are cached per replica for a minute, absent ones too:
 * the change and the new number's messages share an events partition (the change is keyed by the new number), so the
 * replica that writes a link is the one that reads it next.
 */
@Component("numberChanges")
public class NumberChanges {

    static final String CHANGED_NUMBER = "user_changed_number";

    private static final String LINK = "INSERT INTO phone_link (phone_key, identity_key, changed_at) VALUES (?, ?, ?) "
            + "ON CONFLICT (phone_key) DO UPDATE SET identity_key = EXCLUDED.identity_key, "
            + "changed_at = EXCLUDED.changed_at, updated_at = now() WHERE phone_link.changed_at <= EXCLUDED.changed_at";
    private static final String UNLINK = "DELETE FROM phone_link WHERE phone_key = ? AND changed_at <= ?";
    private static final String FIND = "SELECT identity_key FROM phone_link WHERE phone_key = ?";
    private static final String HISTORY = "SELECT phone_key FROM phone_link WHERE identity_key = ? "
            + "ORDER BY changed_at, phone_key";
    private static final int CACHE_SIZE = 100_000;
    private static final long CACHE_MILLIS = 60_000;

    private final JdbcTemplate jdbc;
    private final PhoneIdentity phoneIdentity;
    private final RecentLinks cache = new RecentLinks(CACHE_SIZE, CACHE_MILLIS);

    public NumberChanges(JdbcTemplate jdbc, PhoneIdentity phoneIdentity) {
        this.jdbc = jdbc;
        this.phoneIdentity = phoneIdentity;
    }

    /** Whether the fact is WhatsApp's notice that the customer changed their number. */
    public static boolean isNumberChange(CanonicalEvent event) {
        return event.kind == EventKind.MESSAGE && event.payload != null
                && CHANGED_NUMBER.equals(event.payload.path("system").path("type").asText(null));
    }

    /**
     * Route step after the BSUID links: a fact of a linked number takes its root's identity; a number change is
     * recorded (and its fact told the new number and the history).
     */
    public CanonicalEvent follow(CanonicalEvent event) {
        Customer customer = event.customer;
        if (customer == null || customer.identityKey == null || !customer.identityKey.startsWith("phone:")) {
            return event;
        }
        String root = rootOf(customer.identityKey);
        if (!root.equals(customer.identityKey)) {
            customer.identityKey = root;
            customer.identityHash = phoneIdentity.hash(root);
        }
        if (isNumberChange(event)) {
            change(event, root);
        }
        return event;
    }

    private void change(CanonicalEvent event, String root) {
        ObjectNode system = (ObjectNode) event.payload.path("system");
        Customer next = phoneIdentity.describe(system.path("newWaId").asText(null));
        if (next.e164 == null) {
            return;
        }
        Instant at = Optional.ofNullable(CanonicalEvent.instant(event.occurredAt)).orElseGet(Instant::now);
        if (next.identityKey.equals(root)) {
            jdbc.update(UNLINK, next.identityKey, Timestamp.from(at));
        } else {
            jdbc.update(LINK, next.identityKey, root, Timestamp.from(at));
        }
        cache.forget(next.identityKey);
        system.put("newE164", next.e164);
        if (next.region != null) {
            system.put("newRegion", next.region);
        }
        List<String> previous = new ArrayList<>();
        previous.add(root);
        previous.addAll(jdbc.queryForList(HISTORY, String.class, root));
        previous.remove(next.identityKey);
        List<String> numbers = previous.stream().filter(key -> key.startsWith("phone:"))
                .map(key -> key.substring("phone:".length())).distinct().toList();
        if (!numbers.isEmpty()) {
            system.put("previousNumbers", String.join(", ", numbers));
        }
    }

    /** The identity key the CRM record of {@code phoneKey} is keyed by: its link's root, else the key itself. */
    String rootOf(String phoneKey) {
        Optional<String> cached = cache.get(phoneKey);
        if (cached != null) {
            return cached.orElse(phoneKey);
        }
        List<String> found = jdbc.queryForList(FIND, String.class, phoneKey);
        Optional<String> root = found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        cache.put(phoneKey, root);
        return root.orElse(phoneKey);
    }
}
