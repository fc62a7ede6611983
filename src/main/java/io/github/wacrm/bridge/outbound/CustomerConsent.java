package io.github.wacrm.bridge.outbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Marketing consent per person ({@code customer_consent}, hashed identity, PostgreSQL): recorded from a
 * {@code user_preferences} stop or resume, a failed send with error 131050, or an opt-in the API records. The latest
 * event wins, whatever order they are read in; marketing templates go only to people whose latest word is an opt-in.
 */
@Component("customerConsent")
public class CustomerConsent {

    public static final String OPTED_IN = "opted_in";
    public static final String OPTED_OUT = "opted_out";

    private final JdbcTemplate jdbc;

    public CustomerConsent(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records {@code marketing} ({@link #OPTED_IN} or {@link #OPTED_OUT}) unless a newer word is already held. */
    public void record(String identityHash, String marketing, String source, Instant at) {
        jdbc.update("INSERT INTO customer_consent (identity_hash, marketing, source, event_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (identity_hash) DO UPDATE SET marketing = EXCLUDED.marketing, source = EXCLUDED.source, "
                + "event_at = EXCLUDED.event_at, updated_at = now() WHERE customer_consent.event_at <= EXCLUDED.event_at",
                identityHash, marketing, source, Timestamp.from(at));
    }

    /** Whether the person's latest word on marketing is an opt-in. */
    public boolean optedIn(String identityHash) {
        List<String> held = jdbc.queryForList("SELECT marketing FROM customer_consent WHERE identity_hash = ?",
                String.class, identityHash);
        return !held.isEmpty() && OPTED_IN.equals(held.get(0));
    }
}
