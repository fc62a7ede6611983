package io.github.wacrm.bridge.call;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One row per CRM and call (table {@code call_activity}): the CRM's id of the call's activity and the call's merged
 * state. A row without an id means a creation was started and may have reached the CRM: the next try looks for the
 * activity before it creates one. Shared by every replica; the events of one call come through one partition.
 */
@Component("callLedger")
public class CallLedger {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the ledger knows of a call: nothing, a creation that may have happened, or the activity and its state. */
    public record Known(boolean exists, String recordId, JsonNode state) {
    }

    private final JdbcTemplate jdbc;

    public CallLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Known read(String crm, String callId) {
        List<Known> rows = jdbc.query("SELECT record_id, state FROM call_activity WHERE crm = ? AND call_id = ?",
                (rs, n) -> new Known(true, rs.getString(1), parse(rs.getString(2))), crm, callId);
        return rows.isEmpty() ? new Known(false, null, null) : rows.get(0);
    }

    /** Before the activity is created: a creation that may reach the CRM is remembered. */
    public void creating(String crm, String callId) {
        jdbc.update("INSERT INTO call_activity (crm, call_id) VALUES (?, ?) ON CONFLICT (crm, call_id) DO NOTHING", crm,
                callId);
    }

    /** The activity's id and the state the CRM now shows. */
    public void written(String crm, String callId, String recordId, CallActivity state) {
        jdbc.update("INSERT INTO call_activity (crm, call_id, record_id, state) VALUES (?, ?, ?, ?::jsonb) "
                + "ON CONFLICT (crm, call_id) DO UPDATE SET record_id = COALESCE(EXCLUDED.record_id, "
                + "call_activity.record_id), state = EXCLUDED.state, updated_at = now()", crm, callId, recordId,
                state.toJson().toString());
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (JsonProcessingException unreadable) {
            return null;
        }
    }
}
