package io.github.wacrm.bridge.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The event time of every value the bridge wrote to a CRM, per record and field ({@code crm_field_clock}), shared by
 * every replica. A sink reads the clocks of its batch's records before writing (one statement) and drops each value
 * whose event is older than the one the CRM already holds; after the batch is written it moves the clocks forward
 * (one statement; they never move back).
 */
@Component
public class FieldClocks {

    /** One value written: the record (the sink's record key), the field, and when its event happened. */
    public record Clock(String recordKey, String field, Instant at) {
    }

    private static final String READ = "SELECT record_key, field, event_at FROM crm_field_clock "
            + "WHERE crm = ? AND record_key = ANY(?::varchar[])";
    private static final String ADVANCE = "INSERT INTO crm_field_clock (crm, record_key, field, event_at) "
            + "SELECT ?, * FROM unnest(?::varchar[], ?::varchar[], ?::timestamptz[]) "
            + "ON CONFLICT (crm, record_key, field) DO UPDATE SET "
            + "event_at = GREATEST(crm_field_clock.event_at, EXCLUDED.event_at), updated_at = now()";

    private final JdbcTemplate jdbc;

    public FieldClocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Record key → field → the event time the CRM holds, for the records that have any. */
    public Map<String, Map<String, Instant>> read(String crm, Collection<String> recordKeys) {
        Map<String, Map<String, Instant>> clocks = new HashMap<>();
        CrmRows.read(jdbc, READ, crm, recordKeys, rs -> {
            clocks.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getTimestamp(3).toInstant());
        });
        return clocks;
    }

    /** Moves the clocks of the values just written forward (never back). */
    public void advance(String crm, List<Clock> written) {
        Map<String, Clock> latest = new LinkedHashMap<>();
        for (Clock clock : written) {
            latest.merge(clock.recordKey() + "\n" + clock.field(), clock, (a, b) -> b.at().isAfter(a.at()) ? b : a);
        }
        if (latest.isEmpty()) {
            return;
        }
        List<Clock> rows = List.copyOf(latest.values());
        String[] keys = rows.stream().map(Clock::recordKey).toArray(String[]::new);
        String[] fields = rows.stream().map(Clock::field).toArray(String[]::new);
        Timestamp[] times = rows.stream().map(r -> Timestamp.from(r.at())).toArray(Timestamp[]::new);
        jdbc.execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(ADVANCE)) {
                ps.setString(1, crm);
                ps.setArray(2, c.createArrayOf("varchar", keys));
                ps.setArray(3, c.createArrayOf("varchar", fields));
                ps.setArray(4, c.createArrayOf("timestamptz", times));
                ps.executeUpdate();
            }
            return null;
        });
    }
}
