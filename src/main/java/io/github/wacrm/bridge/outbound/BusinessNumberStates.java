package io.github.wacrm.bridge.outbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.event.BusinessNumber;
import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * What Meta says about the business's numbers and account ({@code business_number_state},
 * {@code business_account_state}, PostgreSQL): a number's quality event ({@code FLAGGED} until {@code UNFLAGGED}) and
 * messaging limit from {@code phone_number_quality_update}, keyed by the display number and linked to its
 * phone-number id from any message or status of it; the account's restriction of business-initiated messaging (with
 * its expiry) from {@code account_update}; the quality rating (GREEN, YELLOW, RED) the Graph API lists for each
 * number ({@code routes/69-number-quality-sync}). The latest event wins. Marketing is refused while any holds.
 */
@Component("businessNumberStates")
public class BusinessNumberStates {

    private static final String BUSINESS_INITIATED = "RESTRICTED_BIZ_INITIATED_MESSAGING";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final JdbcTemplate jdbc;
    /** Links this pod has written (display|id), so a number is linked once per pod, not once per fact. */
    private final Set<String> linked = ConcurrentHashMap.newKeySet();

    public BusinessNumberStates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A message or status names both the display number and its id: the link quality webhooks need. */
    public void link(CanonicalEvent fact) {
        String e164 = BusinessNumber.e164(fact.businessDisplayPhone);
        if (e164 == null || e164.length() > 32 || fact.phoneNumberId == null || fact.phoneNumberId.length() > 64
                || !linked.add(e164 + "|" + fact.phoneNumberId)) {
            return;
        }
        jdbc.update("INSERT INTO business_number_state (display_e164, phone_number_id) VALUES (?, ?) "
                + "ON CONFLICT (display_e164) DO UPDATE SET phone_number_id = EXCLUDED.phone_number_id, updated_at = now() "
                + "WHERE business_number_state.phone_number_id IS DISTINCT FROM EXCLUDED.phone_number_id",
                e164, fact.phoneNumberId);
    }

    /** A {@code phone_number_quality_update}: the number's quality event and limit, when newer than what is held. */
    public void quality(CanonicalEvent fact) {
        JsonNode p = fact.payload;
        String display = p.path("displayPhoneNumber").asText(fact.businessDisplayPhone);
        String e164 = BusinessNumber.e164(display);
        String event = p.path("event").asText(null);
        if (e164 == null || e164.length() > 32 || event == null || event.length() > 40
                || (fact.phoneNumberId != null && fact.phoneNumberId.length() > 64)) {
            return;
        }
        Timestamp at = Timestamp.from(at(fact));
        if (event.equals("THROUGHPUT_UPGRADE")) {
            // the number's throughput, not its quality: FLAGGED or not stays as it was
            jdbc.update("INSERT INTO business_number_state (display_e164, phone_number_id, throughput) VALUES (?, ?, "
                    + "'HIGH') ON CONFLICT (display_e164) DO UPDATE SET throughput = 'HIGH', phone_number_id = "
                    + "COALESCE(business_number_state.phone_number_id, EXCLUDED.phone_number_id), updated_at = now()",
                    e164, fact.phoneNumberId);
            return;
        }
        jdbc.update("INSERT INTO business_number_state (display_e164, phone_number_id, quality_event, messaging_limit, "
                + "event_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (display_e164) DO UPDATE SET quality_event = "
                + "EXCLUDED.quality_event, messaging_limit = COALESCE(EXCLUDED.messaging_limit, "
                + "business_number_state.messaging_limit), phone_number_id = COALESCE(business_number_state.phone_number_id, "
                + "EXCLUDED.phone_number_id), event_at = EXCLUDED.event_at, updated_at = now() "
                + "WHERE business_number_state.event_at IS NULL OR business_number_state.event_at <= EXCLUDED.event_at",
                e164, fact.phoneNumberId, event, cut(p.path("currentLimit").asText(null)), at);
    }

    /** An {@code account_update}: a restriction of business-initiated messaging, until its expiry. */
    public void account(CanonicalEvent fact) {
        JsonNode value = fact.payload.path("value");
        if (!"ACCOUNT_RESTRICTION".equals(value.path("event").asText()) || fact.wabaId == null
                || fact.wabaId.length() > 64) {
            return;
        }
        Instant until = null;
        for (JsonNode restriction : value.path("restriction_info")) {
            if (BUSINESS_INITIATED.equals(restriction.path("restriction_type").asText())) {
                JsonNode expiration = restriction.path("expiration");
                Instant ends = expiration.canConvertToLong() ? Instant.ofEpochSecond(expiration.asLong())
                        : Instant.parse("9999-12-31T00:00:00Z");
                until = until == null || ends.isAfter(until) ? ends : until;
            }
        }
        if (until == null) {
            return;
        }
        Timestamp at = Timestamp.from(at(fact));
        jdbc.update("INSERT INTO business_account_state (waba_id, restricted_until, event_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (waba_id) DO UPDATE SET restricted_until = EXCLUDED.restricted_until, "
                + "event_at = EXCLUDED.event_at, updated_at = now() WHERE business_account_state.event_at <= "
                + "EXCLUDED.event_at", fact.wabaId, Timestamp.from(until), at);
    }

    /**
     * Route step of the number sync: a page of {@code GET /{waba-id}/phone_numbers} (id, display number, quality
     * rating): each number's rating, and its id linked to its display number. Answers how many numbers it read.
     */
    public int rated(String page) throws java.io.IOException {
        JsonNode numbers = JSON.readTree(page == null ? "{}" : page).path("data");
        int read = 0;
        for (JsonNode number : numbers) {
            String e164 = BusinessNumber.e164(number.path("display_phone_number").asText(null));
            String id = number.path("id").asText(null);
            String rating = number.path("quality_rating").asText(null);
            if (e164 == null || e164.length() > 32 || id == null || id.length() > 64 || rating == null
                    || rating.length() > 16) {
                continue;
            }
            jdbc.update("INSERT INTO business_number_state (display_e164, phone_number_id, quality_rating, rating_at) "
                    + "VALUES (?, ?, ?, now()) ON CONFLICT (display_e164) DO UPDATE SET phone_number_id = "
                    + "EXCLUDED.phone_number_id, quality_rating = EXCLUDED.quality_rating, rating_at = now(), "
                    + "updated_at = now()", e164, id, rating.toUpperCase());
            read++;
        }
        return read;
    }

    /** The numbers (phone-number ids) Meta upgraded to its higher throughput. */
    public Set<String> upgraded() {
        return Set.copyOf(jdbc.queryForList("SELECT phone_number_id FROM business_number_state WHERE throughput = "
                + "'HIGH' AND phone_number_id IS NOT NULL", String.class));
    }

    /** Whether the Graph API last rated the number's quality RED. */
    public boolean red(String phoneNumberId) {
        return jdbc.queryForList("SELECT quality_rating FROM business_number_state WHERE phone_number_id = ?",
                String.class, phoneNumberId).stream().anyMatch("RED"::equals);
    }

    /** Whether Meta's latest word on the number is that it is flagged for quality. */
    public boolean flagged(String phoneNumberId) {
        List<String> events = jdbc.queryForList("SELECT quality_event FROM business_number_state WHERE "
                + "phone_number_id = ?", String.class, phoneNumberId);
        return events.stream().anyMatch("FLAGGED"::equals);
    }

    /** Whether the account may not start conversations now. */
    public boolean restricted(String wabaId) {
        List<Timestamp> until = jdbc.queryForList("SELECT restricted_until FROM business_account_state WHERE "
                + "waba_id = ?", Timestamp.class, wabaId);
        return !until.isEmpty() && until.get(0) != null && until.get(0).toInstant().isAfter(Instant.now());
    }

    private static String cut(String limit) {
        return limit == null || limit.length() <= 40 ? limit : limit.substring(0, 40);
    }

    private static Instant at(CanonicalEvent fact) {
        return Optional.ofNullable(CanonicalEvent.instant(fact.occurredAt)).orElseGet(Instant::now);
    }
}
