package io.github.wacrm.bridge.state;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.pipeline.FactsToPublish;

/**
 * The audit trail in PostgreSQL ({@code event_audit}): one row per fact that passed the idempotent consumer, with
 * ids, kind, hashed identity and times, never content or a phone number. Idempotent on the event id. A plain prepared
 * statement: camel-sql's per-parameter expression evaluation cost more than the rest of the router together.
 */
@Component("eventAuditTrail")
public class EventAuditTrail {

    private static final String INSERT = "INSERT INTO event_audit (event_id, dedup_key, kind, field, waba_id, "
            + "phone_number_id, identity_hash, message_id, occurred_at, received_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING";

    private final JdbcTemplate jdbc;
    private final FactsToPublish factsToPublish;

    public EventAuditTrail(JdbcTemplate jdbc, FactsToPublish factsToPublish) {
        this.jdbc = jdbc;
        this.factsToPublish = factsToPublish;
    }

    /** Route step: records the facts a poll collected ({@link FactsToPublish}), before they are published. */
    public void recordPoll(Exchange exchange) {
        recordAll(factsToPublish.pending(exchange).audited());
    }

    /** Records a poll's facts in one batch (one round trip). */
    public void recordAll(List<CanonicalEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                set(ps, events.get(i));
            }

            @Override
            public int getBatchSize() {
                return events.size();
            }
        });
    }

    private static void set(PreparedStatement ps, CanonicalEvent event) throws SQLException {
        ps.setObject(1, UUID.fromString(event.getEventId()));
        ps.setString(2, event.getDedupKey());
        ps.setString(3, event.getKindName());
        ps.setString(4, event.getField());
        ps.setString(5, event.getWabaId());
        ps.setString(6, event.getPhoneNumberId());
        ps.setString(7, event.getIdentityHash());
        ps.setString(8, event.getMessageId());
        setInstant(ps, 9, event.getOccurredAt());
        setInstant(ps, 10, event.getReceivedAt());
    }

    private static void setInstant(java.sql.PreparedStatement ps, int index, String iso) throws java.sql.SQLException {
        Instant instant = CanonicalEvent.instant(iso);
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(instant));
        }
    }

}
