package io.github.wacrm.bridge.state;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a CRM sink last wrote of each person ({@code crm_person_state}, shared by every replica): the hash of the person
 * record's values, its last inbound time, and the open conversation record the sink found or opened, with when it last
 * asked the CRM about it. A batch then writes a person only when something changed, and asks for open conversations
 * only of the people it does not know.
 */
@Component
public class PersonStates {

    /**
     * One person as the sink last wrote it: the hash of its values, its last inbound time, the CRM's id of the record,
     * and its open conversation record (Salesforce Case key, HubSpot ticket id) with when the sink last checked it.
     * Any part may be null (not known, or not written by this batch).
     */
    public record State(String personKey, String valuesHash, Instant lastInboundAt, String recordId, String caseKey,
            Instant caseCheckedAt) {

        /** What a batch wrote of a person record. */
        public static State written(String personKey, String valuesHash, Instant lastInboundAt, String recordId) {
            return new State(personKey, valuesHash, lastInboundAt, recordId, null, null);
        }

        /** The open conversation record a batch sent a person's messages to; checked now, or trusted (null). */
        public static State conversation(String personKey, String caseKey, Instant checkedAt) {
            return new State(personKey, null, null, null, caseKey, checkedAt);
        }
    }

    private static final String READ = "SELECT person_key, values_hash, last_inbound_at, record_id, case_key, case_checked_at "
            + "FROM crm_person_state WHERE crm = ? AND person_key = ANY(?::varchar[])";
    private static final String SAVE = "INSERT INTO crm_person_state (crm, person_key, values_hash, last_inbound_at, "
            + "record_id, case_key, case_checked_at) SELECT ?, * FROM unnest(?::varchar[], ?::varchar[], "
            + "?::timestamptz[], ?::varchar[], ?::varchar[], ?::timestamptz[]) ON CONFLICT (crm, person_key) DO UPDATE SET "
            + "values_hash = COALESCE(EXCLUDED.values_hash, crm_person_state.values_hash), "
            + "last_inbound_at = COALESCE(EXCLUDED.last_inbound_at, crm_person_state.last_inbound_at), "
            + "record_id = COALESCE(EXCLUDED.record_id, crm_person_state.record_id), "
            + "case_key = COALESCE(EXCLUDED.case_key, crm_person_state.case_key), "
            + "case_checked_at = COALESCE(EXCLUDED.case_checked_at, crm_person_state.case_checked_at), "
            + "updated_at = now()";

    private final JdbcTemplate jdbc;

    public PersonStates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Person key → what the sink last wrote, for the people it knows (one statement). */
    public Map<String, State> read(String crm, Collection<String> personKeys) {
        Map<String, State> known = new HashMap<>();
        CrmRows.read(jdbc, READ, crm, personKeys, rs -> {
            known.put(rs.getString(1), new State(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)),
                    rs.getString(4), rs.getString(5), instant(rs.getTimestamp(6))));
        });
        return known;
    }

    /** Records what a batch wrote (one statement); a null part leaves what was stored. */
    public void save(String crm, List<State> written) {
        if (written.isEmpty()) {
            return;
        }
        Map<String, State> byKey = new java.util.LinkedHashMap<>();
        written.forEach(state -> byKey.merge(state.personKey(), state, PersonStates::merge));
        List<State> rows = List.copyOf(byKey.values());
        jdbc.execute((java.sql.Connection c) -> {
            try (var ps = c.prepareStatement(SAVE)) {
                ps.setString(1, crm);
                ps.setArray(2, c.createArrayOf("varchar", rows.stream().map(State::personKey).toArray()));
                ps.setArray(3, c.createArrayOf("varchar", rows.stream().map(State::valuesHash).toArray()));
                ps.setArray(4, c.createArrayOf("timestamptz", rows.stream().map(s -> timestamp(s.lastInboundAt())).toArray()));
                ps.setArray(5, c.createArrayOf("varchar", rows.stream().map(State::recordId).toArray()));
                ps.setArray(6, c.createArrayOf("varchar", rows.stream().map(State::caseKey).toArray()));
                ps.setArray(7, c.createArrayOf("timestamptz", rows.stream().map(s -> timestamp(s.caseCheckedAt())).toArray()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static State merge(State a, State b) {
        return new State(a.personKey(), b.valuesHash() != null ? b.valuesHash() : a.valuesHash(),
                b.lastInboundAt() != null ? b.lastInboundAt() : a.lastInboundAt(),
                b.recordId() != null ? b.recordId() : a.recordId(), b.caseKey() != null ? b.caseKey() : a.caseKey(),
                b.caseCheckedAt() != null ? b.caseCheckedAt() : a.caseCheckedAt());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
