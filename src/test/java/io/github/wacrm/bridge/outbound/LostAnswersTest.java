package io.github.wacrm.bridge.outbound;

import static io.github.wacrm.bridge.outbound.OutboundClient.newNumber;
import static io.github.wacrm.bridge.outbound.OutboundClient.orderUpdate;
import static io.github.wacrm.bridge.outbound.OutboundClient.sendsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.FactsTopic;
import io.github.wacrm.bridge.support.TopicProbe;

/**
 * A call that reached Meta but whose answer never came back (the connection broke after Meta took it): the request is
 * never sent again — not by the replica that sent it, not when its request is read again after a crash — and ends
 * where its status webhooks put it, with the outbound record the sender could not write; or, if nothing is ever heard
 * of it, unknown: on the API and on the CRM records.
 */
class LostAnswersTest extends BridgeIntegrationTest {

    private static final Duration SETTLED = Duration.ofSeconds(60);

    private OutboundClient client;

    @BeforeEach
    void templatesSynced() throws Exception {
        client = new OutboundClient(apiPort);
        hubSpotPortalReady();
        await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM whatsapp_template WHERE "
                + "components IS NOT NULL AND name = 'order_update'", Integer.class) == 1);
    }

    @Test
    void aSendWhoseAnswerWasLostIsSettledByItsStatusesAndGetsItsOutboundRecord() throws Exception {
        String to = newNumber();
        DevServices.get().whatsapp().loseAnswersTo(to.substring(1), true);
        TopicProbe deadLetters = TopicProbe.open("whatsapp.webhooks.dlq");
        String id = client.accepted(UUID.randomUUID().toString(), orderUpdate(to));

        JsonNode read = client.awaitStatus(id, "read", SETTLED);
        String wamid = read.path("wamid").asText();
        assertThat(wamid).startsWith("wamid.");
        redeliver(id);

        await().atMost(SETTLED).untilAsserted(() -> {
            List<Map<String, Object>> messages = DevServices.get().salesforce().org().all("WhatsApp_Message__c").stream()
                    .filter(m -> wamid.equals(m.get("Wamid__c"))).toList();
            assertThat(messages).singleElement().satisfies(m -> assertThat(m)
                    .containsEntry("Direction__c", "Outbound").containsEntry("Outbound_Request_Id__c", id)
                    .containsEntry("Template_Name__c", "order_update").containsEntry("Status__c", "Read")
                    .containsEntry("Body__c", "Your order #4521 is on its way. Reply here if anything is wrong."));
        });
        assertThat(sendsOf(id)).as("sent once, though its answer never came and its request was read again").hasSize(1);
        try (deadLetters) {
            assertThat(deadLetters.settle(r -> new String(r.value(), StandardCharsets.UTF_8).contains(id),
                    Duration.ofSeconds(2))).as("the broken answer is no failure of the record").isEmpty();
        }
    }

    @Test
    void aSendNeverHeardOfAgainEndsUnknownOnBothCrmsAndIsNeverSentAgain() throws Exception {
        String to = newNumber();
        DevServices.get().whatsapp().loseAnswersTo(to.substring(1), false);
        String id = client.accepted(UUID.randomUUID().toString(), orderUpdate(to));
        await().atMost(SETTLED).until(() -> sendsOf(id).size() == 1);
        redeliver(id);

        JsonNode unknown = client.awaitStatus(id, "unknown", SETTLED);
        assertThat(unknown.path("reason").path("code").asText()).isEqualTo("no_answer");
        await().atMost(SETTLED).untilAsserted(() -> {
            List<Map<String, Object>> messages = DevServices.get().salesforce().org().all("WhatsApp_Message__c").stream()
                    .filter(m -> id.equals(m.get("Outbound_Request_Id__c"))).toList();
            assertThat(messages).singleElement().satisfies(m -> {
                assertThat(m).containsEntry("Status__c", "Unknown").containsEntry("Template_Name__c", "order_update")
                        .containsEntry("Direction__c", "Outbound");
                assertThat(m.get("Contact__c")).as("on the customer's Contact").isNotNull();
            });
        });
        await().atMost(SETTLED).untilAsserted(() -> assertThat(DevServices.get().hubspot().portal()
                .find("communications", "whatsapp_message_id", "request:" + id)).singleElement()
                .satisfies(c -> assertThat(c.properties().get("whatsapp_error_title")).startsWith("outcome unknown")));
        assertThat(jdbc.queryForObject("SELECT unknown_reported_at IS NOT NULL FROM outbound_request WHERE id = ?::uuid",
                Boolean.class, id)).as("reported once").isTrue();
        assertThat(sendsOf(id)).as("never sent again").hasSize(1);
    }

    @Test
    void anOutboundFactACrashLeftOwedIsPublishedByTheReconcileTimer() throws Exception {
        // a status settled this request after its answer was lost, and the replica died before the fact went out
        String to = newNumber();
        String id = java.util.UUID.randomUUID().toString();
        String wamid = "wamid.owed-" + id;
        String request = "{\"id\":\"" + id + "\",\"phoneNumberId\":\"" + WhatsAppCloudEmulator.PHONE_NUMBER_ID
                + "\",\"to\":\"" + to
                + "\",\"identityKey\":\"phone:" + to + "\",\"identityHash\":\"" + id.replace("-", "")
                + "\",\"template\":{\"name\":\"order_update\",\"language\":\"en_US\",\"parameters\":[\"#77\","
                + "\"ready\"]},\"source\":\"api\",\"requestedBy\":\"default\"}";
        jdbc.update("INSERT INTO outbound_request (id, idempotency_key, request_hash, source, requested_by, "
                + "phone_number_id, recipient, identity_hash, request, state, wamid, attempts, late_fact_due, updated_at) "
                + "VALUES (?::uuid, ?, 'h', 'api', 'default', ?, ?, ?, ?, 'read', ?, 1, true, "
                + "now() - interval '2 minutes')", id, "test:" + id, WhatsAppCloudEmulator.PHONE_NUMBER_ID, to,
                id.replace("-", ""), request, wamid);
        await().atMost(SETTLED).untilAsserted(() -> assertThat(DevServices.get().salesforce().org()
                .all("WhatsApp_Message__c").stream().filter(m -> wamid.equals(m.get("Wamid__c"))).toList())
                .singleElement().satisfies(m -> assertThat(m).containsEntry("Outbound_Request_Id__c", id)
                        .containsEntry("Template_Name__c", "order_update")
                        .containsEntry("Body__c", "Your order #77 is ready. Reply here if anything is wrong.")));
        assertThat(jdbc.queryForObject("SELECT late_fact_due FROM outbound_request WHERE id = ?::uuid", Boolean.class,
                id)).as("no longer owed").isFalse();
    }

    /** The request read again, as after a crash of the replica that sent it (its offset not committed). */
    private void redeliver(String id) throws Exception {
        Map<String, Object> row = jdbc.queryForMap("SELECT request FROM outbound_request WHERE id = ?::uuid", id);
        FactsTopic.produce("whatsapp.outbound.requests", "redelivered", (String) row.get("request"));
    }
}
