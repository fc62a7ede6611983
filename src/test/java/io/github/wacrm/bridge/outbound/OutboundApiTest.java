package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

import static io.github.wacrm.bridge.outbound.OutboundClient.json;
import static io.github.wacrm.bridge.outbound.OutboundClient.newNumber;
import static io.github.wacrm.bridge.outbound.OutboundClient.orderUpdate;
import static io.github.wacrm.bridge.outbound.OutboundClient.sendsOf;
import static io.github.wacrm.bridge.outbound.OutboundClient.template;

/**
 * The reverse route through the REST API, end to end against the WhatsApp Cloud API emulator: a template is checked,
 * sent once and followed to read by its status webhooks; the same request twice is one send; each check's refusal,
 * a failure Meta reports after accepting the call, and a throughput storm end where they must, with their reasons.
 */
class OutboundApiTest extends BridgeIntegrationTest {

    private static final Duration SETTLED = Duration.ofSeconds(30);

    private OutboundClient client;

    @BeforeEach
    void templatesSynced() {
        client = new OutboundClient(apiPort);
        await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM whatsapp_template WHERE "
                + "components IS NOT NULL AND name IN ('order_update', 'spring_sale', 'shipping_label')",
                Integer.class) == 3);
    }

    @Test
    void anApprovedTemplateIsSentOnceAndFollowedToRead() throws Exception {
        hubSpotPortalReady();
        String to = newNumber();
        HttpResponse<String> accepted = send(UUID.randomUUID().toString(), orderUpdate(to));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = json(accepted).path("id").asText();
        assertThat(json(accepted).path("status").asText()).isEqualTo("accepted");

        JsonNode read = awaitStatus(id, "read");
        assertThat(read.path("wamid").asText()).startsWith("wamid.");
        List<WhatsAppCloudEmulator.Send> sends = sendsOf(id);
        assertThat(sends).hasSize(1);
        JsonNode body = sends.get(0).body();
        assertThat(body.path("to").asText()).isEqualTo(to.substring(1));
        assertThat(body.path("template").path("components").path(0).path("parameters").path(1).path("text").asText())
                .isEqualTo("on its way");

        // one outbound record on each side, on the customer's record, updated by the statuses
        String wamid = read.path("wamid").asText();
        await().atMost(SETTLED).untilAsserted(() -> {
            List<java.util.Map<String, Object>> messages = DevServices.get().salesforce().org().all("WhatsApp_Message__c")
                    .stream().filter(m -> wamid.equals(m.get("Wamid__c"))).toList();
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0)).containsEntry("Direction__c", "Outbound")
                    .containsEntry("Outbound_Request_Id__c", id).containsEntry("Template_Name__c", "order_update")
                    .containsEntry("Body__c", "Your order #4521 is on its way. Reply here if anything is wrong.");
            assertThat(messages.get(0).get("Read_At__c")).isNotNull();
            assertThat(messages.get(0).get("Contact__c")).isNotNull();
        });
        await().atMost(SETTLED).untilAsserted(() -> {
            var communications = DevServices.get().hubspot().portal().find("communications", "whatsapp_message_id", wamid);
            assertThat(communications).hasSize(1);
            assertThat(communications.get(0).properties()).containsEntry("whatsapp_direction", "outbound");
            assertThat(communications.get(0).properties().get("whatsapp_read_at")).isNotNull();
            assertThat(DevServices.get().hubspot().portal().associated("communications", communications.get(0).id(),
                    "contacts")).as("associated with its contact").hasSize(1);
        });
    }

    @Test
    void theSameRequestTwiceIsOneSendAndTheSameKeyForAnotherRequestIsRefused() throws Exception {
        String to = newNumber();
        String key = UUID.randomUUID().toString();
        String first = json(send(key, orderUpdate(to))).path("id").asText();
        HttpResponse<String> again = send(key, orderUpdate(to));
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).path("id").asText()).isEqualTo(first);
        awaitStatus(first, "read");
        assertThat(sendsOf(first)).hasSize(1);

        HttpResponse<String> other = send(key, orderUpdate(newNumber()));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json(other).path("error").path("code").asText()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void eachCheckRefusesWithItsReasonAndNothingGoesToMeta() throws Exception {
        String to = newNumber();
        assertRefused(template(to, "no_such_template", "[]"), "template_not_found");
        assertRefused(template(to, "old_promo", "[\"x\"]"), "template_not_approved");
        assertRefused(template(to, "order_update", "[\"only one\"]"), "template_parameters");
        assertRefused(template(to, "spring_sale", "{\"first_name\": \"Ana\"}"), "no_marketing_opt_in");
        assertRefused("{\"to\": \"" + to + "\", \"text\": \"Hello?\"}", "outside_service_window");
    }

    @Test
    void aMarketingTemplateGoesOnceTheCustomerOptedIn() throws Exception {
        String to = newNumber();
        HttpResponse<String> consent = api("POST", "/api/v1/consents", DevServices.DEV_OUTBOUND_TOKEN, null,
                "{\"to\": \"" + to + "\", \"marketing\": \"opted_in\"}");
        assertThat(consent.statusCode()).isEqualTo(204);
        String id = json(send(UUID.randomUUID().toString(), template(to, "spring_sale", "{\"first_name\": \"Ana\"}")))
                .path("id").asText();
        awaitStatus(id, "read");
        assertThat(sendsOf(id).get(0).body().path("template").path("components").path(0).path("parameters").path(0)
                .path("parameter_name").asText()).isEqualTo("first_name");
    }

    @Test
    void marketingWaitsWhileTheNumberIsFlaggedOrTheAccountRestrictedAndUtilityStillGoes() throws Exception {
        String to = newNumber();
        assertThat(api("POST", "/api/v1/consents", DevServices.DEV_OUTBOUND_TOKEN, null,
                "{\"to\": \"" + to + "\", \"marketing\": \"opted_in\"}").statusCode()).isEqualTo(204);
        // a message of the number links its display number to its id; then Meta flags it
        assertThat(postSigned(Fixtures.load("message-text", Fixtures.newRun())).statusCode()).isEqualTo(200);
        long now = System.currentTimeMillis() / 1000;
        quality("FLAGGED", now);
        await().atMost(SETTLED).until(() -> "FLAGGED".equals(jdbc.queryForObject("SELECT max(quality_event) FROM "
                + "business_number_state WHERE phone_number_id = ?", String.class, WhatsAppCloudEmulator.PHONE_NUMBER_ID)));
        String sale = template(to, "spring_sale", "{\"first_name\": \"Ana\"}");
        assertThat(awaitStatus(json(send(UUID.randomUUID().toString(), sale)).path("id").asText(), "refused")
                .path("reason").path("code").asText()).isEqualTo("number_quality_flagged");
        awaitStatus(json(send(UUID.randomUUID().toString(), orderUpdate(to))).path("id").asText(), "read");

        quality("UNFLAGGED", now + 1);
        await().atMost(SETTLED).until(() -> "UNFLAGGED".equals(jdbc.queryForObject("SELECT max(quality_event) FROM "
                + "business_number_state WHERE phone_number_id = ?", String.class, WhatsAppCloudEmulator.PHONE_NUMBER_ID)));
        try {
            restriction(now + 3600, now + 2);
            // this WABA's own state: other tests' real bodies restrict other WABAs (one of them forever)
            await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM business_account_state "
                    + "WHERE waba_id = ? AND restricted_until > now()", Integer.class, WhatsAppCloudEmulator.WABA_ID) == 1);
            assertThat(awaitStatus(json(send(UUID.randomUUID().toString(), sale)).path("id").asText(), "refused")
                    .path("reason").path("code").asText()).isEqualTo("account_restricted");
        } finally {
            restriction(now - 60, now + 3);
            await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM business_account_state "
                    + "WHERE waba_id = ? AND restricted_until > now()", Integer.class, WhatsAppCloudEmulator.WABA_ID) == 0);
        }
        awaitStatus(json(send(UUID.randomUUID().toString(), sale)).path("id").asText(), "read");
    }

    @Test
    void marketingWaitsWhileTheGraphApiRatesTheNumberRedAndUtilityStillGoes() throws Exception {
        String to = newNumber();
        assertThat(api("POST", "/api/v1/consents", DevServices.DEV_OUTBOUND_TOKEN, null,
                "{\"to\": \"" + to + "\", \"marketing\": \"opted_in\"}").statusCode()).isEqualTo(204);
        String sale = template(to, "spring_sale", "{\"first_name\": \"Ana\"}");
        try {
            DevServices.get().whatsapp().qualityRating("RED");
            await().atMost(SETTLED).until(() -> "RED".equals(jdbc.queryForObject("SELECT max(quality_rating) FROM "
                    + "business_number_state WHERE phone_number_id = ?", String.class,
                    WhatsAppCloudEmulator.PHONE_NUMBER_ID)));
            assertThat(awaitStatus(json(send(UUID.randomUUID().toString(), sale)).path("id").asText(), "refused")
                    .path("reason").path("code").asText()).isEqualTo("number_quality_red");
            awaitStatus(json(send(UUID.randomUUID().toString(), orderUpdate(to))).path("id").asText(), "read");
            // a Graph API that refuses the read leaves the last rating as it was
            DevServices.get().whatsapp().refuseToken(true);
            DevServices.get().whatsapp().qualityRating("GREEN");
            Thread.sleep(5000);
            assertThat(jdbc.queryForObject("SELECT max(quality_rating) FROM business_number_state WHERE "
                    + "phone_number_id = ?", String.class, WhatsAppCloudEmulator.PHONE_NUMBER_ID)).isEqualTo("RED");
        } finally {
            DevServices.get().whatsapp().refuseToken(false);
            DevServices.get().whatsapp().qualityRating("GREEN");
            await().atMost(SETTLED).until(() -> "GREEN".equals(jdbc.queryForObject("SELECT max(quality_rating) FROM "
                    + "business_number_state WHERE phone_number_id = ?", String.class,
                    WhatsAppCloudEmulator.PHONE_NUMBER_ID)));
        }
        awaitStatus(json(send(UUID.randomUUID().toString(), sale)).path("id").asText(), "read");
    }

    @Test
    void aThroughputUpgradeRaisesTheNumbersRateAndLeavesItsQualityAlone() throws Exception {
        String display = "1555" + String.format("%07d", (int) (Math.random() * 10_000_000));
        String body = new String(Fixtures.raw("phone-number-quality-update"), StandardCharsets.UTF_8)
                .replace("1555RUNDIGITS", display).replace("\"FLAGGED\"", "\"THROUGHPUT_UPGRADE\"")
                .replace("1732270200", String.valueOf(System.currentTimeMillis() / 1000));
        assertThat(postSigned(body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        await().atMost(SETTLED).until(() -> "HIGH".equals(jdbc.queryForObject("SELECT max(throughput) FROM "
                + "business_number_state WHERE display_e164 = ?", String.class, "+" + display)));
        assertThat(jdbc.queryForObject("SELECT quality_event FROM business_number_state WHERE display_e164 = ?",
                String.class, "+" + display)).as("not a quality event").isNull();
    }

    private void quality(String event, long at) throws Exception {
        String body = new String(Fixtures.raw("phone-number-quality-update"), StandardCharsets.UTF_8)
                .replace("1555RUNDIGITS", WhatsAppCloudEmulator.DISPLAY_NUMBER).replace("\"FLAGGED\"", "\"" + event + "\"")
                .replace("1732270200", String.valueOf(at));
        assertThat(postSigned(body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    /** An account_update restricting business-initiated messaging until {@code until} (Meta's shape, pywa's body). */
    private void restriction(long until, long at) throws Exception {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + WhatsAppCloudEmulator.WABA_ID
                + "\",\"time\":" + at + ",\"changes\":[{\"field\":\"account_update\",\"value\":{\"event\":"
                + "\"ACCOUNT_RESTRICTION\",\"restriction_info\":[{\"restriction_type\":\"RESTRICTED_BIZ_INITIATED_MESSAGING\","
                + "\"expiration\":" + until + "}]}}]}]}";
        assertThat(postSigned(body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    @Test
    void aTemplateWithADocumentHeaderAndAUrlButtonIsSentWithThemAndRefusedWithout() throws Exception {
        String to = newNumber();
        String label = "{\"to\": \"" + to + "\", \"template\": {\"name\": \"shipping_label\", \"language\": "
                + "\"en_US\", \"parameters\": [\"#4521\"], \"header\": {\"document\": {\"link\": "
                + "\"https://files.example.com/label-4521.pdf\", \"filename\": \"label-4521.pdf\"}}, "
                + "\"buttons\": {\"0\": \"4521\"}}}";
        String id = json(send(UUID.randomUUID().toString(), label)).path("id").asText();
        awaitStatus(id, "read");
        JsonNode components = sendsOf(id).get(0).body().path("template").path("components");
        assertThat(components.path(0).path("type").asText()).isEqualTo("header");
        assertThat(components.path(0).path("parameters").path(0).path("document").path("link").asText())
                .isEqualTo("https://files.example.com/label-4521.pdf");
        assertThat(components.path(2).path("sub_type").asText()).isEqualTo("url");
        assertThat(components.path(2).path("parameters").path(0).path("text").asText()).isEqualTo("4521");

        assertRefused(template(to, "shipping_label", "[\"#4521\"]"), "template_parameters");
        String wrongMedia = label.replace("\"document\": {\"link\"", "\"image\": {\"link\"")
                .replace(", \"filename\": \"label-4521.pdf\"", "");
        assertRefused(wrongMedia, "template_parameters");
        // Meta itself refuses a send without the header (the emulator as strict): 131008
        HttpResponse<String> bare = HTTP.send(HttpRequest.newBuilder(URI.create(DevServices.get().whatsapp().baseUrl()
                + "/v23.0/" + WhatsAppCloudEmulator.PHONE_NUMBER_ID + "/messages"))
                .header("Authorization", "Bearer " + WhatsAppCloudEmulator.DEV_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"messaging_product\":\"whatsapp\",\"to\":\""
                        + newNumber().substring(1) + "\",\"type\":\"template\",\"template\":{\"name\":"
                        + "\"shipping_label\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":"
                        + "\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"#1\"}]}]}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).isEqualTo(400);
        assertThat(json(bare).path("error").path("code").asInt()).isEqualTo(131008);
    }

    @Test
    void aFreeTextInsideTheWindowIsSent() throws Exception {
        String run = Fixtures.newRun();
        String digits = "165059" + String.format("%05d", (int) (Math.random() * 100_000));
        byte[] inbound = new String(Fixtures.load("message-text", run), StandardCharsets.UTF_8)
                .replace("16505551234", digits).replace("\"1732270000\"",
                        "\"" + (System.currentTimeMillis() / 1000 - 60) + "\"").getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned(inbound).statusCode()).isEqualTo(200);
        await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM customer_window w WHERE "
                + "w.last_inbound_at > now() - interval '1 hour' AND w.identity_hash = ?", Integer.class,
                new io.github.wacrm.bridge.identity.PhoneIdentity("").hash("phone:+" + digits)) == 1);
        String id = json(send(UUID.randomUUID().toString(), "{\"to\": \"+" + digits + "\", \"text\": \"Yes, today.\"}"))
                .path("id").asText();
        awaitStatus(id, "read");
        assertThat(sendsOf(id).get(0).body().path("text").path("body").asText()).isEqualTo("Yes, today.");
    }

    @Test
    void aFailureMetaReportsAfterAcceptingTheCallEndsFailedWithItsCode() throws Exception {
        String to = newNumber();
        DevServices.get().whatsapp().failAfterAcceptance(to.substring(1), 131026);
        String id = json(send(UUID.randomUUID().toString(), orderUpdate(to))).path("id").asText();
        JsonNode failed = awaitStatus(id, "failed");
        assertThat(failed.path("reason").path("code").asText()).isEqualTo("131026");
        assertThat(failed.path("reason").path("message").asText()).contains("could not be delivered");
    }

    @Test
    void throughputErrorsAreWaitedOutAndTheRequestIsSentOnce() throws Exception {
        String to = newNumber();
        DevServices.get().whatsapp().failNext(130429, 3);
        String id = json(send(UUID.randomUUID().toString(), orderUpdate(to))).path("id").asText();
        awaitStatus(id, "read");
        assertThat(sendsOf(id)).as("three calls refused with 130429, one accepted").extracting(
                WhatsAppCloudEmulator.Send::errorCode).containsExactly(130429, 130429, 130429, null);
        assertThat(jdbc.queryForObject("SELECT attempts FROM outbound_request WHERE id = ?::uuid", Integer.class, id))
                .isEqualTo(4);
    }

    @Test
    void theApiNeedsAValidTokenAKeyAndAWellFormedRequest() throws Exception {
        String body = orderUpdate(newNumber());
        assertThat(api("POST", "/api/v1/messages", null, "k", body).statusCode()).isEqualTo(401);
        assertThat(api("POST", "/api/v1/messages", "wrong-token", "k", body).statusCode()).isEqualTo(401);
        HttpResponse<String> noKey = api("POST", "/api/v1/messages", DevServices.DEV_OUTBOUND_TOKEN, null, body);
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(json(noKey).path("error").path("code").asText()).isEqualTo("idempotency_key_required");
        assertThat(send("k1-" + UUID.randomUUID(), "not json").statusCode()).isEqualTo(400);
        HttpResponse<String> badTo = send("k2-" + UUID.randomUUID(), "{\"to\": \"12345\", \"text\": \"hi\"}");
        assertThat(badTo.statusCode()).isEqualTo(422);
        assertThat(json(badTo).path("error").path("code").asText()).isEqualTo("invalid_recipient");
        assertThat(api("GET", "/api/v1/messages/" + UUID.randomUUID(), DevServices.DEV_OUTBOUND_TOKEN, null, null)
                .statusCode()).isEqualTo(404);
    }

    private void assertRefused(String body, String code) throws Exception {
        String id = json(send(UUID.randomUUID().toString(), body)).path("id").asText();
        JsonNode refused = awaitStatus(id, "refused");
        assertThat(refused.path("reason").path("code").asText()).isEqualTo(code);
        assertThat(refused.path("reason").path("message").asText()).isNotBlank();
        assertThat(sendsOf(id)).isEmpty();
    }

    private JsonNode awaitStatus(String id, String status) {
        return client.awaitStatus(id, status, SETTLED);
    }

    private HttpResponse<String> send(String key, String body) throws Exception {
        return client.send(key, body);
    }

    private HttpResponse<String> api(String method, String path, String token, String key, String body)
            throws Exception {
        return client.api(method, path, token, key, body);
    }
}
