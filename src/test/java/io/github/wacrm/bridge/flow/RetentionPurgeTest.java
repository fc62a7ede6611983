package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * What the bridge keeps about people in PostgreSQL leaves on schedule, each by its own setting: finished sends after
 * the ledger's retention (a send still in doubt stays), windows long closed; consent stays (an opt-out outlives them);
 * the governance audit (operator actions, send steps, refused webhooks) after its own 400 days.
 */
class RetentionPurgeTest extends BridgeIntegrationTest {

    @Autowired
    private CamelContext camel;

    @Test
    void finishedSendsAndClosedWindowsLeaveAfterTheirRetentionAndConsentStays() {
        String run = Fixtures.newRun();
        UUID oldRead = send(run + "-old-read", "read", 91, false);
        UUID oldSending = send(run + "-old-sending", "sending", 91, false);
        UUID oldUnknownDue = send(run + "-old-unknown", "unknown", 91, true);
        UUID recentRead = send(run + "-recent-read", "read", 89, false);
        jdbc.update("INSERT INTO customer_window (identity_hash, phone_number_id, last_inbound_at) VALUES "
                + "(?, 'p1', now() - interval '31 days'), (?, 'p1', now() - interval '29 days')", run + "-old",
                run + "-recent");
        jdbc.update("INSERT INTO customer_consent (identity_hash, marketing, source, event_at) VALUES "
                + "(?, 'stopped', 'user_preferences', now() - interval '2000 days')", run + "-consent");

        camel.createProducerTemplate().sendBody("direct:whatsapp-retention-purge", null);

        assertThat(exists("outbound_request", "id", oldRead)).as("a finished send past the retention").isFalse();
        assertThat(exists("outbound_request", "id", oldSending)).as("a send that may have reached Meta").isTrue();
        assertThat(exists("outbound_request", "id", oldUnknownDue)).as("an unknown send a status may settle").isTrue();
        assertThat(exists("outbound_request", "id", recentRead)).isTrue();
        assertThat(exists("customer_window", "identity_hash", run + "-old")).isFalse();
        assertThat(exists("customer_window", "identity_hash", run + "-recent")).isTrue();
        assertThat(exists("customer_consent", "identity_hash", run + "-consent")).as("an opt-out is kept").isTrue();
        assertThat(jdbc.queryForList("SELECT step FROM send_audit WHERE request_id = ?", String.class, oldRead))
                .as("the purge of a finished send adds no step: its steps stay for the audit's own retention")
                .containsExactly("accepted");
    }

    @Test
    void theGovernanceAuditLeavesAfterItsOwnRetention() {
        String run = Fixtures.newRun();
        for (int daysAgo : new int[] {401, 399}) {
            jdbc.update("INSERT INTO operator_action (at, actor, via, action, status, outcome) VALUES "
                    + "(now() - make_interval(days => ?), ?, 'token', 'POST /actuator/hubspot', 200, 'done')", daysAgo,
                    run + daysAgo);
            jdbc.update("INSERT INTO send_audit (at, request_id, step, source, phone_number_id, attempt) VALUES "
                    + "(now() - make_interval(days => ?), ?, 'read', ?, 'p1', 1)", daysAgo, UUID.randomUUID(),
                    run + daysAgo);
            jdbc.update("INSERT INTO webhook_refusal (minute, reason, refusals, replica) VALUES "
                    + "(date_trunc('minute', now()) - make_interval(days => ?), 'bad_signature', 3, ?)", daysAgo,
                    run + daysAgo);
        }

        camel.createProducerTemplate().sendBody("direct:whatsapp-retention-purge", null);

        assertThat(exists("operator_action", "actor", run + 401)).as("past 400 days").isFalse();
        assertThat(exists("send_audit", "source", run + 401)).isFalse();
        assertThat(exists("webhook_refusal", "replica", run + 401)).isFalse();
        assertThat(exists("operator_action", "actor", run + 399)).isTrue();
        assertThat(exists("send_audit", "source", run + 399)).isTrue();
        assertThat(exists("webhook_refusal", "replica", run + 399)).isTrue();
    }

    private UUID send(String key, String state, int daysAgo, boolean lateFactDue) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO outbound_request (id, idempotency_key, request_hash, source, phone_number_id, recipient, "
                + "identity_hash, request, state, late_fact_due, updated_at) VALUES (?, ?, 'h', 'rest', 'p1', "
                + "'+16505550000', 'hash', '{}', ?, ?, now() - make_interval(days => ?))", id, key, state, lateFactDue,
                daysAgo);
        return id;
    }

    private boolean exists(String table, String column, Object value) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + column + " = ?", Long.class, value) > 0;
    }
}
