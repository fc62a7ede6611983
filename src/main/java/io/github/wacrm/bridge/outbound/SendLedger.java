package io.github.wacrm.bridge.outbound;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The send ledger ({@code outbound_request}, PostgreSQL, shared by every replica): one row per request, unique per
 * idempotency key, each step written before it happens, every move a compare-and-set so two replicas (or a
 * redelivered request) cannot both take it. {@code accepted} → {@code sending} (a call to Meta may be in flight: never
 * sent again) → {@code sent} → {@code delivered} → {@code read}; or {@code refused} (a check said no), {@code failed}
 * (Meta said no, at once or later in a status webhook), {@code unknown} (no answer and no status within a bound). A
 * status never moves a request backwards: {@code failed} outranks every other but {@code read}.
 */
@Component("sendLedger")
public class SendLedger {

    public enum State {
        ACCEPTED, SENDING, UNKNOWN, SENT, DELIVERED, READ, FAILED, REFUSED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** A row as the API shows it. */
    public record Entry(String id, State state, String wamid, String reasonCode, String reason, int attempts,
            String requestHash, String request) {
    }

    private static final String RANK = "CASE %s WHEN 'accepted' THEN 0 WHEN 'sending' THEN 1 WHEN 'unknown' THEN 1 "
            + "WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'failed' THEN 4 WHEN 'read' THEN 5 ELSE 9 END";
    private static final String INSERT = "INSERT INTO outbound_request (id, idempotency_key, request_hash, source, "
            + "requested_by, phone_number_id, recipient, identity_hash, request, state) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted') ON CONFLICT (idempotency_key) DO NOTHING";
    private static final String SELECT = "SELECT id, state, wamid, reason_code, reason, attempts, request_hash, request "
            + "FROM outbound_request ";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final JdbcTemplate jdbc;
    private final OutboundProperties properties;

    public SendLedger(JdbcTemplate jdbc, OutboundProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Records a new request (its id already set) under its idempotency key. Answers the new row, or the row the key already has (the
     * caller compares the request hashes: the same request again is not a new one).
     */
    public Entry accept(OutboundRequest request, String idempotencyKey, String requestHash, String requestJson) {
        int inserted = jdbc.update(INSERT, UUID.fromString(request.id), idempotencyKey, requestHash, request.source,
                request.requestedBy, request.phoneNumberId, request.to, request.identityHash, requestJson);
        if (inserted == 1) {
            return new Entry(request.id, State.ACCEPTED, null, null, null, 0, requestHash, requestJson);
        }
        return jdbc.queryForObject(SELECT + "WHERE idempotency_key = ?", (rs, n) -> entry(rs), idempotencyKey);
    }

    /** The request could not be put on its topic: the key is free again, the caller may retry. */
    public void forget(String id) {
        jdbc.update("DELETE FROM outbound_request WHERE id = ? AND state = 'accepted'", UUID.fromString(id));
    }

    public Optional<Entry> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
        return jdbc.query(SELECT + "WHERE id = ?", (rs, n) -> entry(rs), uuid).stream().findFirst();
    }

    /** Takes the request for one call to Meta; false when it is not (or no longer) waiting to be sent. */
    public boolean startSending(String id) {
        return jdbc.update("UPDATE outbound_request SET state = 'sending', attempts = attempts + 1, "
                + "sending_since = now(), updated_at = now() WHERE id = ? AND state = 'accepted'", UUID.fromString(id)) == 1;
    }

    /** Meta answered with an error that means "not sent, try later": the request waits to be sent again. */
    public void notSent(String id, String code, String reason) {
        jdbc.update("UPDATE outbound_request SET state = 'accepted', reason_code = ?, reason = ?, updated_at = now() "
                + "WHERE id = ? AND state = 'sending'", code, cut(reason), UUID.fromString(id));
    }

    /** Meta accepted the message. A status that came first is kept (it only adds the wamid then). */
    public void sent(String id, String wamid) {
        jdbc.update("UPDATE outbound_request SET state = CASE WHEN state IN ('sending', 'unknown') THEN 'sent' "
                + "ELSE state END, wamid = COALESCE(wamid, ?), "
                // a failure a status reported first keeps its code; a retry's code is over
                + "reason_code = CASE WHEN state = 'failed' THEN reason_code END, "
                + "reason = CASE WHEN state = 'failed' THEN reason END, updated_at = now() "
                + "WHERE id = ?", wamid, UUID.fromString(id));
    }

    /** Meta refused the call for good, or the bridge's tries ran out. */
    public void failed(String id, String code, String reason) {
        jdbc.update("UPDATE outbound_request SET state = 'failed', reason_code = ?, reason = ?, updated_at = now() "
                + "WHERE id = ? AND state IN ('accepted', 'sending')", code, cut(reason), UUID.fromString(id));
    }

    /** A check refused the request before anything went to Meta. */
    public void refused(String id, String code, String reason) {
        jdbc.update("UPDATE outbound_request SET state = 'refused', reason_code = ?, reason = ?, updated_at = now() "
                + "WHERE id = ? AND state = 'accepted'", code, cut(reason), UUID.fromString(id));
    }

    /** What a status webhook moved: the state the request was in before, and the request as accepted. */
    public record Moved(State before, String request) {

        /** The sender never wrote the sent fact: the call's answer never came (a crash, a lost connection). */
        public boolean answerLost() {
            return before == State.SENDING || before == State.UNKNOWN;
        }
    }

    /**
     * A status webhook of an outbound message, found by the request id Meta echoed or by its wamid: moves the request
     * forward only (never from read to delivered, never from failed to sent). Answers what moved, if anything.
     */
    public Optional<Moved> status(String id, String wamid, State state, String code, String reason) {
        String byWhat = id != null ? "id = ?" : "wamid = ?";
        Object key = id != null ? UUID.fromString(id) : wamid;
        // the CTE locks the row and keeps the state it had before this update
        return jdbc.query("WITH before AS (SELECT id, state FROM outbound_request WHERE " + byWhat + " FOR UPDATE) "
                + "UPDATE outbound_request r SET state = ?, wamid = COALESCE(r.wamid, ?), "
                + "reason_code = CASE WHEN ? = 'failed' THEN ? WHEN b.state = 'unknown' THEN NULL ELSE r.reason_code END, "
                + "reason = CASE WHEN ? = 'failed' THEN ? WHEN b.state = 'unknown' THEN NULL ELSE r.reason END, "
                + "late_fact_due = r.late_fact_due OR b.state IN ('sending', 'unknown'), "
                + "updated_at = now() FROM before b "
                + "WHERE r.id = b.id AND b.state <> 'refused' AND " + RANK.formatted("b.state") + " < "
                + RANK.formatted("?") + " RETURNING b.state, r.request",
                (rs, n) -> new Moved(State.valueOf(rs.getString(1).toUpperCase()), rs.getString(2)), key, state.wire(),
                wamid, state.wire(), code, state.wire(), cut(reason), state.wire()).stream().findFirst();
    }

    /** A request whose late outbound fact is owed: its id, the request as accepted, its wamid. */
    public record Owed(String id, String request, String wamid) {
    }

    /**
     * Route step of the reconcile timer: requests a status settled after their answer was lost whose outbound fact
     * is still owed a minute later (the replica crashed before it was published), at most 100.
     */
    public List<Owed> owedLateFacts() {
        return jdbc.query("SELECT id, request, wamid FROM outbound_request WHERE late_fact_due AND wamid IS NOT NULL AND "
                + "updated_at < now() - interval '1 minute' ORDER BY updated_at LIMIT 100",
                (rs, n) -> new Owed(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /** The late outbound fact is on its topic. */
    public void lateFactPublished(String id) {
        jdbc.update("UPDATE outbound_request SET late_fact_due = false WHERE id = ?", UUID.fromString(id));
    }

    /** A request that ended unknown and is not yet written to the CRMs: its id and the request as accepted. */
    public record Unreported(String id, String request) {
    }

    /** Route step of the reconcile timer: unknown requests whose fact is not on the facts topic yet (at most 100). */
    public List<Unreported> unreportedUnknown() {
        return jdbc.query("SELECT id, request FROM outbound_request WHERE state = 'unknown' AND unknown_reported_at "
                + "IS NULL ORDER BY updated_at LIMIT 100", (rs, n) -> new Unreported(rs.getString(1), rs.getString(2)));
    }

    /** Route step, once the unknown fact is on its topic (two replicas may both write it: one CRM record still). */
    public void reportedUnknown(String id) {
        jdbc.update("UPDATE outbound_request SET unknown_reported_at = now() WHERE id = ?", UUID.fromString(id));
    }

    /** A request to put on its topic again: its Kafka key and its JSON. */
    public record Untaken(String key, String request) {
    }

    /** Whether the request still waits to be sent (not taken, refused or settled). */
    public boolean waiting(String id) {
        try {
            return jdbc.queryForObject("SELECT count(*) FROM outbound_request WHERE id = ? AND state = 'accepted'",
                    Integer.class, UUID.fromString(id)) == 1;
        } catch (IllegalArgumentException | NullPointerException notAnId) {
            return false;
        }
    }

    /** Route step of the reconcile timer: requests in doubt past {@code in-doubt-after} end unknown. */
    public int settleOverdue() {
        return settleInDoubt(properties.inDoubtAfter());
    }

    /** Route step of the reconcile timer: accepted requests nobody took within {@code requeue-after}. */
    public List<Untaken> untaken() {
        return waitingLongerThan(properties.requeueAfter()).stream().map(json -> {
            try {
                return new Untaken(JSON.readTree(json).path("identityKey").asText(null), json);
            } catch (java.io.IOException unreadable) {
                return new Untaken(null, json);
            }
        }).toList();
    }

    /** Requests whose call may have reached Meta longer ago than {@code bound}, with no status since: unknown. */
    int settleInDoubt(Duration bound) {
        return jdbc.update("UPDATE outbound_request SET state = 'unknown', reason_code = 'no_answer', reason = ?, "
                + "updated_at = now() WHERE state = 'sending' AND sending_since < ?",
                "The call to Meta may have reached it, but no answer and no status webhook came within " + bound
                        + "; it is never sent again", Timestamp.from(Instant.now().minus(bound)));
    }

    /** Requests accepted longer ago than {@code bound} and never taken (their topic write was lost): sent again. */
    List<String> waitingLongerThan(Duration bound) {
        List<String> requests = jdbc.queryForList("UPDATE outbound_request SET updated_at = now() WHERE state = "
                + "'accepted' AND updated_at < ? RETURNING request", String.class, Timestamp.from(Instant.now().minus(bound)));
        return requests;
    }

    private static Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Entry(rs.getString("id"), State.valueOf(rs.getString("state").toUpperCase()), rs.getString("wamid"),
                rs.getString("reason_code"), rs.getString("reason"), rs.getInt("attempts"), rs.getString("request_hash"),
                rs.getString("request"));
    }

    private static String cut(String reason) {
        return reason == null || reason.length() <= 1000 ? reason : reason.substring(0, 1000);
    }
}
