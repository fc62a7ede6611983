package io.github.wacrm.bridge.operations;

import static io.github.wacrm.bridge.outbound.OutboundClient.json;
import static io.github.wacrm.bridge.outbound.OutboundClient.orderUpdate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.outbound.OutboundClient;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TestIdentityProvider;

/**
 * The erasure command forgets one person in the bridge's own tables — every identity linked to the one given — keeps
 * the audit's rows without whom they were about, says until when Kafka may still hold them, and is itself audited
 * without the identity. Only a caller with the erasure role may run it.
 */
class PersonErasureTest extends BridgeIntegrationTest {

    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static final String FIXTURE_PHONE = "16505551234";

    @Autowired
    private PhoneIdentity phoneIdentity;

    @Test
    void aPersonFoundByTheirBsuidIsErasedWithTheirNumbersAndTheAuditKeepsWhatHappenedWithoutThem() throws Exception {
        hubSpotPortalReady();
        String run = Fixtures.newRun();
        String phone = "165057" + String.format("%05d", (int) (Math.random() * 100_000));
        String e164 = "+" + phone;
        String bsuid = "US.13491208655302741918" + run;
        String previous = "+165059" + String.format("%05d", (int) (Math.random() * 100_000));
        String phoneHash = phoneIdentity.hash("phone:" + e164);

        // an inbound message with the number and the BSUID, a template sent back, a consent, an earlier number
        String body = new String(Fixtures.load("customer-phone-and-bsuid", run), StandardCharsets.UTF_8)
                .replace(FIXTURE_PHONE, phone);
        assertThat(postSigned(body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-linked";
        await().atMost(SETTLED).until(() -> !salesforceWhere("WhatsApp_Message__c", "Wamid__c", wamid).isEmpty()
                && count("crm_person_state", "person_key LIKE ?", "%|" + e164) >= 2);
        OutboundClient client = new OutboundClient(apiPort);
        String request = json(client.send(UUID.randomUUID().toString(), orderUpdate(e164))).path("id").asText();
        client.awaitStatus(request, "read", SETTLED);
        assertThat(client.api("POST", "/api/v1/consents", DevServices.DEV_OUTBOUND_TOKEN, null,
                "{\"to\": \"" + e164 + "\", \"marketing\": \"opted_in\"}").statusCode()).isEqualTo(204);
        jdbc.update("INSERT INTO phone_link (phone_key, identity_key, changed_at) VALUES (?, ?, now())",
                "phone:" + e164, "phone:" + previous);
        assertThat(count("event_audit", "identity_hash = ?", phoneHash)).isPositive();
        assertThat(count("customer_window", "identity_hash = ?", phoneHash)).isOne();
        assertThat(count("send_audit", "identity_hash = ?", phoneHash)).isPositive();

        HttpResponse<String> erased = postActuatorJson("/actuator/erasure", ERASURE_TOKEN,
                "{\"bsuid\": \"" + bsuid + "\"}");

        assertThat(erased.statusCode()).isEqualTo(200);
        JsonNode answer = json(erased);
        assertThat(answer.path("identities").asInt()).as("the BSUID, its number, the earlier number").isEqualTo(3);
        assertThat(answer.at("/deleted/outbound_request").asInt()).isOne();
        assertThat(answer.at("/deleted/customer_consent").asInt()).isOne();
        assertThat(answer.at("/deleted/customer_window").asInt()).isOne();
        assertThat(answer.at("/deleted/identity_link").asInt()).isOne();
        assertThat(answer.at("/deleted/phone_link").asInt()).isOne();
        assertThat(answer.at("/deleted/crm_person_state").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(answer.at("/deleted/crm_field_clock").asInt()).isPositive();
        assertThat(answer.at("/anonymised/event_audit").asInt()).isPositive();
        assertThat(answer.at("/anonymised/send_audit").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(answer.path("kafka")).hasSize(12).allSatisfy(topic -> {
            assertThat(topic.path("readFrom").asText()).isEqualTo("broker");
            assertThat(topic.path("heldUntilAtTheLatest").asText()).matches("2\\d{3}-.*Z");
        });
        assertThat(answer.path("notErased").toString()).contains("Salesforce and HubSpot records");
        assertThat(answer.at("/pipeline/lag").isIntegralNumber()).as("the lag the erasure may race").isTrue();
        assertThat(erased.body()).as("the answer names no one").doesNotContain(phone, bsuid, previous.substring(1),
                phoneHash);

        for (String table : List.of("outbound_request", "customer_consent", "customer_window", "hubspot_ticket",
                "event_audit", "send_audit")) {
            assertThat(count(table, "identity_hash = ?", phoneHash)).as(table).isZero();
        }
        assertThat(count("identity_link", "user_id = ?", bsuid)).isZero();
        assertThat(count("phone_link", "identity_key = ? OR phone_key = ?", "phone:" + previous, "phone:" + e164))
                .isZero();
        assertThat(count("crm_person_state", "person_key LIKE ?", "%|" + e164)).isZero();
        assertThat(count("crm_field_clock", "record_key LIKE ?", "%|" + e164)).isZero();
        assertThat(jdbc.queryForList("SELECT step FROM send_audit WHERE request_id = ?::uuid ORDER BY id",
                String.class, request)).as("what happened is kept, and that it was erased")
                .containsExactly("accepted", "sending", "sent", "delivered", "read", "erased");
        assertThat(count("event_audit", "message_id = ?", wamid)).as("the fact's audit row is kept").isOne();
        assertThat(jdbc.queryForList("SELECT actor || ' ' || action || ' ' || status || ' ' || outcome || ' ' || detail "
                + "FROM operator_action WHERE action = 'POST /actuator/erasure' ORDER BY id DESC LIMIT 1", String.class))
                .singleElement().asString().startsWith("dpo POST /actuator/erasure 200 done")
                .doesNotContain(phone, bsuid, phoneHash);
    }

    @Test
    void aNumberInAnyFormMetaSendsFindsThePersonAndBadInputIsRefused() throws Exception {
        String e164 = "+5215512345" + String.format("%03d", (int) (Math.random() * 1000));
        String canonical = "+52" + e164.substring(4);
        jdbc.update("INSERT INTO customer_window (identity_hash, phone_number_id, last_inbound_at) VALUES (?, 'p1', "
                + "now())", phoneIdentity.hash("phone:" + canonical));
        HttpResponse<String> erased = postActuatorJson("/actuator/erasure", ERASURE_TOKEN,
                "{\"phone\": \"" + e164.substring(1) + "\"}");
        assertThat(erased.statusCode()).isEqualTo(200);
        assertThat(json(erased).at("/deleted/customer_window").asInt()).as("Mexico's old mobile form").isOne();
        assertThat(json(erased).path("identities").asInt()).isOne();

        for (String bad : List.of("{}", "{\"phone\": \"12\"}", "{\"bsuid\": \"two words\"}",
                "{\"phone\": \"+16505551234\", \"bsuid\": \"US.1\"}")) {
            HttpResponse<String> refused = postActuatorJson("/actuator/erasure", ERASURE_TOKEN, bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void onlyACallerWithTheErasureRoleMayErase() throws Exception {
        String body = "{\"phone\": \"+16505550199\"}";
        assertThat(postActuatorJson("/actuator/erasure", null, body).statusCode()).isEqualTo(401);
        assertThat(postActuatorJson("/actuator/erasure", DevServices.DEV_OUTBOUND_TOKEN, body).statusCode())
                .isEqualTo(401);
        assertThat(postActuatorJson("/actuator/erasure", READER_TOKEN, body).statusCode()).isEqualTo(403);
        assertThat(postActuatorJson("/actuator/erasure", OPERATOR_TOKEN, body).statusCode())
                .as("the operator token has every role but this one").isEqualTo(403);
        assertThat(postActuatorJson("/actuator/erasure", TestIdentityProvider.jwt("jane", List.of("dead-letter-replay",
                "portal-setup", "operator"), java.time.Instant.now().plusSeconds(600)), body).statusCode()).isEqualTo(403);
        assertThat(postActuatorJson("/actuator/erasure", TestIdentityProvider.jwt("dpo@example.com",
                List.of("erasure"), java.time.Instant.now().plusSeconds(600)), body).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForList("SELECT actor || ' ' || status FROM operator_action WHERE action = "
                + "'POST /actuator/erasure' ORDER BY id DESC LIMIT 4", String.class))
                .containsExactly("dpo@example.com 200", "jane 403", "ops 403", "reader 403");
        assertThat(postActuatorJson("/actuator/erasure?phone=%2B16505550199", ERASURE_TOKEN, "{}").statusCode())
                .as("whom to erase never in a URL").isEqualTo(403);
        assertThat(jdbc.queryForList("SELECT action FROM operator_action ORDER BY id DESC LIMIT 1", String.class))
                .containsExactly("POST /actuator/erasure");
        assertThat(postActuatorJson("/actuator/erasure", ERASURE_TOKEN, body).statusCode()).isEqualTo(200);
    }

    private long count(String table, String where, Object... args) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + where, Long.class, args);
    }
}
