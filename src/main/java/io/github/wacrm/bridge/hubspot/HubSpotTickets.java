package io.github.wacrm.bridge.hubspot;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The ticket the bridge last opened per customer ({@code hubspot_ticket} in PostgreSQL, keyed by the hashed identity),
 * shared by every replica. The sink reads it to ask HubSpot whether that ticket is still open (one batch read per
 * 100 customers) instead of searching, which is rate-limited and not read-after-write consistent.
 */
@Component
public class HubSpotTickets {

    /** One ticket the sink opened: for whom (hashed identity), its HubSpot id and its conversation key. */
    public record Opened(String identityHash, String ticketId, String conversationKey) {
    }

    private static final String FIND = "SELECT identity_hash, ticket_id FROM hubspot_ticket WHERE identity_hash = ANY(?::varchar[])";
    private static final String REMEMBER = "INSERT INTO hubspot_ticket (identity_hash, ticket_id, conversation_key) "
            + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[]) "
            + "ON CONFLICT (identity_hash) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, "
            + "conversation_key = EXCLUDED.conversation_key, updated_at = now()";

    private final JdbcTemplate jdbc;

    public HubSpotTickets(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Identity hash → ticket id, for those who have one. */
    public Map<String, String> find(Collection<String> identityHashes) {
        Map<String, String> found = new HashMap<>();
        if (identityHashes.isEmpty()) {
            return found;
        }
        String[] hashes = identityHashes.stream().distinct().toArray(String[]::new);
        jdbc.execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(FIND)) {
                ps.setArray(1, c.createArrayOf("varchar", hashes));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return null;
        });
        return found;
    }

    /** Records the tickets a batch opened (one statement). */
    public void remember(List<Opened> opened) {
        if (opened.isEmpty()) {
            return;
        }
        Map<String, Opened> last = new HashMap<>();
        opened.forEach(o -> last.put(o.identityHash(), o));
        List<Opened> rows = List.copyOf(last.values());
        jdbc.execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(REMEMBER)) {
                ps.setArray(1, c.createArrayOf("varchar", rows.stream().map(Opened::identityHash).toArray()));
                ps.setArray(2, c.createArrayOf("varchar", rows.stream().map(Opened::ticketId).toArray()));
                ps.setArray(3, c.createArrayOf("varchar", rows.stream().map(Opened::conversationKey).toArray()));
                ps.executeUpdate();
            }
            return null;
        });
    }
}
