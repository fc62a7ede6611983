package io.github.wacrm.bridge.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The 24 h customer service window in PostgreSQL ({@code customer_window}), shared by every replica: the latest
 * inbound time per customer (hashed identity) and business number. Updates only move it forward.
 */
@Component
public class CustomerWindow {

    /** One inbound message: who (hashed identity), to which business number, when. */
    public record Inbound(String identityHash, String phoneNumberId, Instant at) {
    }

    private static final String ADVANCE = "INSERT INTO customer_window (identity_hash, phone_number_id, last_inbound_at) "
            + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::timestamptz[]) "
            + "ON CONFLICT (identity_hash, phone_number_id) DO UPDATE SET "
            + "last_inbound_at = GREATEST(customer_window.last_inbound_at, EXCLUDED.last_inbound_at), updated_at = now()";
    private static final String LATEST = "SELECT identity_hash, max(last_inbound_at) FROM customer_window "
            + "WHERE identity_hash = ANY(?::varchar[]) GROUP BY identity_hash";

    private final JdbcTemplate jdbc;

    public CustomerWindow(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a batch of inbound messages (two statements, whatever the batch size) and answers, per identity, the
     * latest inbound time over every business number, including earlier batches.
     */
    public Map<String, Instant> advance(List<Inbound> inbound) {
        if (inbound.isEmpty()) {
            return Map.of();
        }
        Map<String, Inbound> latestPerKey = new HashMap<>();
        for (Inbound in : inbound) {
            latestPerKey.merge(in.identityHash() + "\n" + in.phoneNumberId(), in,
                    (a, b) -> b.at().isAfter(a.at()) ? b : a);
        }
        List<Inbound> rows = new ArrayList<>(latestPerKey.values());
        String[] hashes = rows.stream().map(Inbound::identityHash).toArray(String[]::new);
        String[] numbers = rows.stream().map(Inbound::phoneNumberId).toArray(String[]::new);
        Timestamp[] times = rows.stream().map(r -> Timestamp.from(r.at())).toArray(Timestamp[]::new);
        jdbc.execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(ADVANCE)) {
                ps.setArray(1, c.createArrayOf("varchar", hashes));
                ps.setArray(2, c.createArrayOf("varchar", numbers));
                ps.setArray(3, c.createArrayOf("timestamptz", times));
                ps.executeUpdate();
            }
            return null;
        });
        String[] identities = rows.stream().map(Inbound::identityHash).distinct().toArray(String[]::new);
        Map<String, Instant> latest = new HashMap<>();
        jdbc.execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(LATEST)) {
                ps.setArray(1, c.createArrayOf("varchar", identities));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        latest.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
            }
            return null;
        });
        return latest;
    }
}
