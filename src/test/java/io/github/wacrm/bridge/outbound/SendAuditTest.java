package io.github.wacrm.bridge.outbound;

import static io.github.wacrm.bridge.outbound.OutboundClient.json;
import static io.github.wacrm.bridge.outbound.OutboundClient.newNumber;
import static io.github.wacrm.bridge.outbound.OutboundClient.orderUpdate;
import static io.github.wacrm.bridge.outbound.OutboundClient.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;

import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;

/**
 * Every send is traceable: each step of each outbound request is a row of the append-only send_audit — who asked,
 * the checks' verdict, every outcome Meta gave — naming the customer only by the hashed identity.
 */
class SendAuditTest extends BridgeIntegrationTest {

    private static final Duration SETTLED = Duration.ofSeconds(30);

    @Autowired
    private SendLedger ledger;

    private OutboundClient client;

    @BeforeEach
    void templatesSynced() {
        client = new OutboundClient(apiPort);
        await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM whatsapp_template WHERE "
                + "components IS NOT NULL AND name IN ('order_update', 'spring_sale')", Integer.class) == 2);
    }

    @Test
    void aSentRequestIsAuditedFromAcceptanceToReadWithWhoAskedAndNoNumber() throws Exception {
        String to = newNumber();
        String id = client.accepted(UUID.randomUUID().toString(), orderUpdate(to));
        client.awaitStatus(id, "read", SETTLED);
        List<Map<String, Object>> steps = awaitSteps(id, "read");

        assertThat(steps).extracting(step -> step.get("step"))
                .containsExactly("accepted", "sending", "sent", "delivered", "read");
        Map<String, Object> request = jdbc.queryForMap("SELECT requested_by, identity_hash, wamid FROM "
                + "outbound_request WHERE id = ?::uuid", id);
        assertThat(steps).allSatisfy(step -> {
            assertThat(step).containsEntry("source", "api")
                    .containsEntry("requested_by", request.get("requested_by"))
                    .containsEntry("identity_hash", request.get("identity_hash"))
                    .containsEntry("template", "order_update/en_US")
                    .containsEntry("phone_number_id", WhatsAppCloudEmulator.PHONE_NUMBER_ID);
            assertThat(step.values()).as("no phone number in the audit").noneMatch(value -> value != null
                    && String.valueOf(value).contains(to.substring(1)));
        });
        assertThat(request.get("requested_by")).as("the token's name, not the token").isNotNull()
                .isNotEqualTo(DevServices.DEV_OUTBOUND_TOKEN);
        assertThat(steps.get(1)).containsEntry("attempt", 1);
        assertThat(steps.get(2)).containsEntry("wamid", request.get("wamid"));
    }

    @Test
    void aRefusalIsAuditedWithTheChecksVerdictAndNothingWasSending() throws Exception {
        String id = client.accepted(UUID.randomUUID().toString(), template(newNumber(), "no_such_template", "[]"));
        client.awaitStatus(id, "refused", SETTLED);
        assertThat(awaitSteps(id, "refused")).extracting(step -> step.get("step") + ":" + step.get("reason_code"))
                .containsExactly("accepted:null", "refused:template_not_found");
    }

    @Test
    void aFailureMetaReportsLaterIsAuditedWithItsCode() throws Exception {
        String to = newNumber();
        DevServices.get().whatsapp().failAfterAcceptance(to.substring(1), 131026);
        String id = client.accepted(UUID.randomUUID().toString(), orderUpdate(to));
        client.awaitStatus(id, "failed", SETTLED);
        assertThat(awaitSteps(id, "failed")).extracting(step -> step.get("step") + ":" + step.get("reason_code"))
                .containsExactly("accepted:null", "sending:null", "sent:null", "failed:131026");
    }

    @Test
    void eachTryMetaAnswersLaterIsAuditedWithItsAttempt() throws Exception {
        DevServices.get().whatsapp().failNext(130429, 2);
        String id = client.accepted(UUID.randomUUID().toString(), orderUpdate(newNumber()));
        client.awaitStatus(id, "read", SETTLED);
        assertThat(awaitSteps(id, "read")).extracting(step -> step.get("step") + "#" + step.get("attempt"))
                .containsExactly("accepted#0", "sending#1", "retry_later#1", "sending#2", "retry_later#2",
                        "sending#3", "sent#3", "delivered#3", "read#3");
        assertThat(steps(id)).filteredOn(step -> "retry_later".equals(step.get("step")))
                .extracting(step -> step.get("reason_code")).containsOnly("130429");
        assertThat(steps(id)).filteredOn(step -> !"retry_later".equals(step.get("step")))
                .as("a retry's code is not carried into the next try or the outcome")
                .extracting(step -> step.get("reason_code")).containsOnlyNulls();
    }

    @Test
    void aFailureReportedBeforeMetasAnswerKeepsItsCode() {
        OutboundRequest request = request();
        ledger.accept(request, "audit-test:" + request.id, "hash", "{\"template\":{\"name\":\"order_update\","
                + "\"language\":\"en_US\"}}");
        assertThat(ledger.startSending(request.id)).isTrue();
        String wamid = "wamid.audit-" + request.id;
        assertThat(ledger.status(request.id, wamid, SendLedger.State.FAILED, "131026", "Message undeliverable"))
                .isPresent();
        ledger.sent(request.id, wamid);

        assertThat(ledger.find(request.id).orElseThrow().reasonCode()).as("the answer after the failure").isEqualTo(
                "131026");
        assertThat(steps(request.id)).extracting(step -> step.get("step") + ":" + step.get("reason_code"))
                .containsExactly("accepted:null", "sending:null", "failed:131026");
    }

    @Test
    void aRequestPostgresCannotReadAsJsonIsStillSentAndAudited() {
        OutboundRequest named = request();
        ledger.accept(named, "audit-test:" + named.id, "hash", "{\"template\":{\"name\":\"x\\u0000y\","
                + "\"language\":\"en_US\"}}");
        OutboundRequest text = request();
        ledger.accept(text, "audit-test:" + text.id, "hash", "{\"text\":\"a\\u0000b\"}");
        assertThat(ledger.startSending(named.id)).isTrue();
        assertThat(steps(named.id)).extracting(step -> step.get("step") + ":" + step.get("template"))
                .containsExactly("accepted:null", "sending:null");
        assertThat(steps(text.id)).extracting(step -> step.get("step")).containsExactly("accepted");
        ledger.refused(named.id, "test", "done");
        ledger.forget(text.id);
    }

    private static OutboundRequest request() {
        OutboundRequest request = new OutboundRequest();
        request.id = UUID.randomUUID().toString();
        request.source = "api";
        request.requestedBy = "audit-test";
        request.phoneNumberId = "p1";
        request.to = newNumber();
        request.identityHash = "h" + request.id.replace("-", "");
        return request;
    }

    @Test
    void aRequestThatCouldNotBeQueuedIsAuditedAsWithdrawn() {
        OutboundRequest request = request();
        ledger.accept(request, "audit-test:" + request.id, "hash", "{\"text\":\"hello\"}");
        ledger.forget(request.id);
        assertThat(steps(request.id)).extracting(step -> step.get("step") + ":" + step.get("template"))
                .containsExactly("accepted:null", "withdrawn:null");
    }

    @Test
    void theAuditCannotBeRewrittenOnlyWhomItIsAboutForgotten() {
        OutboundRequest request = request();
        ledger.accept(request, "audit-test:" + request.id, "hash", "{}");

        assertThatThrownBy(() -> jdbc.update("UPDATE send_audit SET step = 'sent' WHERE request_id = ?::uuid",
                request.id)).isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("UPDATE send_audit SET identity_hash = 'someone else' "
                + "WHERE request_id = ?::uuid", request.id)).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("UPDATE send_audit SET identity_hash = NULL, reason_code = 'x' "
                + "WHERE request_id = ?::uuid", request.id)).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("UPDATE send_audit SET requested_by = 'someone else' "
                + "WHERE request_id = ?::uuid", request.id)).hasMessageContaining("append-only");
        assertThat(jdbc.update("UPDATE send_audit SET identity_hash = NULL WHERE request_id = ?::uuid", request.id))
                .isEqualTo(1);
        assertThat(jdbc.update("UPDATE send_audit SET requested_by = NULL WHERE request_id = ?::uuid", request.id))
                .as("a Salesforce record id, erased").isEqualTo(1);
        jdbc.update("INSERT INTO webhook_refusal (minute, reason, refusals) VALUES (now(), 'audit_test', 1)");
        assertThatThrownBy(() -> jdbc.update("UPDATE webhook_refusal SET refusals = 0 WHERE reason = 'audit_test'"))
                .hasMessageContaining("append-only");
        ledger.forget(request.id);
    }

    private List<Map<String, Object>> awaitSteps(String id, String last) {
        await().atMost(SETTLED).until(() -> steps(id).stream().anyMatch(step -> last.equals(step.get("step"))));
        return steps(id);
    }

    private List<Map<String, Object>> steps(String id) {
        return jdbc.queryForList("SELECT step, source, requested_by, identity_hash, phone_number_id, template, attempt, "
                + "reason_code, wamid FROM send_audit WHERE request_id = ?::uuid ORDER BY id", id);
    }
}
