package io.github.wacrm.bridge.hubspot;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * HubSpot records the sink created and still owes their first values ({@code hubspot_pending_create_values}), shared
 * by every replica. HubSpot says {@code new: true} once; the sink notes the id before it sends the follow-up update
 * and forgets it once the update succeeded, so a batch that fails in between and is written again still completes it.
 */
@Component
public class HubSpotPendingValues {

    private static final String REMEMBER = "INSERT INTO hubspot_pending_create_values (object_type, object_id) "
            + "SELECT ?, unnest(?::varchar[]) ON CONFLICT DO NOTHING";
    private static final String FIND = "SELECT object_id FROM hubspot_pending_create_values "
            + "WHERE object_type = ? AND object_id = ANY(?::varchar[])";
    private static final String DONE = "DELETE FROM hubspot_pending_create_values "
            + "WHERE object_type = ? AND object_id = ANY(?::varchar[])";

    private final JdbcTemplate jdbc;

    public HubSpotPendingValues(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes records just created whose first values are still to be sent (one statement). */
    public void remember(String objectType, Collection<String> ids) {
        update(REMEMBER, objectType, ids);
    }

    /** Of {@code ids}, those still owed their first values (one statement). */
    public Set<String> pending(String objectType, Collection<String> ids) {
        Set<String> found = new HashSet<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(FIND)) {
                ps.setString(1, objectType);
                ps.setArray(2, c.createArrayOf("varchar", ids.stream().distinct().toArray()));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        return found;
    }

    /** Forgets the records whose first values HubSpot has set (one statement). */
    public void done(String objectType, Collection<String> ids) {
        update(DONE, objectType, ids);
    }

    private void update(String sql, String objectType, Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(sql)) {
                ps.setString(1, objectType);
                ps.setArray(2, c.createArrayOf("varchar", ids.stream().distinct().toArray()));
                ps.executeUpdate();
            }
            return null;
        });
    }
}
