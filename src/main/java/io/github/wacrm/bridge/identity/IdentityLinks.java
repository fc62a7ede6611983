package io.github.wacrm.bridge.identity;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;

/**
 * One person, one record. When Meta sends a customer's phone ({@code wa_id}) and BSUID ({@code user_id}) together,
 * the BSUID is linked to the phone's identity key in PostgreSQL ({@code identity_link}, shared by every replica); a
 * later fact that carries the BSUID alone then takes the phone's identity key (and so its CRM record, its hash and its
 * facts partition). Its BSUID stays what it is: never written as a phone number. A {@code user_id_update} moves the
 * link from the previous BSUID to the current one. Links are cached per replica for a minute (recently used ones).
 */
@Component("identityLinks")
public class IdentityLinks {

    private static final String LINK = "INSERT INTO identity_link (user_id, identity_key) VALUES (?, ?) "
            + "ON CONFLICT (user_id) DO UPDATE SET identity_key = EXCLUDED.identity_key, updated_at = now() "
            + "WHERE identity_link.identity_key <> EXCLUDED.identity_key";
    private static final String FIND = "SELECT identity_key FROM identity_link WHERE user_id = ?";
    private static final String UNLINK = "DELETE FROM identity_link WHERE user_id = ?";
    private static final int CACHE_SIZE = 100_000;
    /** A link another replica moved is followed here within this time. */
    private static final long CACHE_MILLIS = 60_000;

    private final JdbcTemplate jdbc;
    private final PhoneIdentity phoneIdentity;
    private final RecentLinks cache = new RecentLinks(CACHE_SIZE, CACHE_MILLIS);

    public IdentityLinks(JdbcTemplate jdbc, PhoneIdentity phoneIdentity) {
        this.jdbc = jdbc;
        this.phoneIdentity = phoneIdentity;
    }

    /** Route step after phone enrichment: links, follows or moves the customer's BSUID, in place. */
    public CanonicalEvent resolve(CanonicalEvent event) {
        if ("user_id_update".equals(event.field) && event.payload != null) {
            move(event.payload.path("value").path("user_id_update"));
        }
        Customer customer = event.customer;
        if (customer == null || customer.userId == null || customer.userId.isBlank() || customer.identityKey == null) {
            return event;
        }
        if (customer.identityKey.startsWith("phone:")) {
            link(customer.userId, customer.identityKey);
        } else if (customer.identityKey.startsWith("bsuid:")) {
            String linked = find(customer.userId);
            if (linked != null) {
                customer.identityKey = linked;
                customer.identityHash = phoneIdentity.hash(linked);
            }
        }
        return event;
    }

    private void link(String userId, String identityKey) {
        if (identityKey.equals(cached(userId))) {
            return;
        }
        jdbc.update(LINK, userId, identityKey);
        remember(userId, identityKey);
    }

    private String find(String userId) {
        String cached = cached(userId);
        if (cached != null) {
            return cached;
        }
        List<String> found = jdbc.queryForList(FIND, String.class, userId);
        if (found.isEmpty()) {
            return null;
        }
        remember(userId, found.get(0));
        return found.get(0);
    }

    private String cached(String userId) {
        Optional<String> cached = cache.get(userId);
        return cached == null ? null : cached.orElse(null);
    }

    private void remember(String userId, String identityKey) {
        cache.put(userId, Optional.of(identityKey));
    }

    private void move(JsonNode updates) {
        for (JsonNode update : updates) {
            String identityKey = phoneIdentity.identityKey(update.path("wa_id").asText(null), null, null);
            String previous = update.path("user_id").path("previous").asText(null);
            String current = update.path("user_id").path("current").asText(null);
            if (identityKey == null || !identityKey.startsWith("phone:")) {
                continue;
            }
            if (previous != null) {
                jdbc.update(UNLINK, previous);
                cache.forget(previous);
            }
            if (current != null) {
                link(current, identityKey);
            }
        }
    }
}
