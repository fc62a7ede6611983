package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotWorkflows;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotWorkflows.Signature;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;

/**
 * The plain HubSpot "Send a webhook" workflow action, end to end: signed as HubSpot signs it, with the template in the
 * webhook URL's query or a customised body and the contact as HubSpot's object or flat; one send per contact and key
 * however often HubSpot sends it; refusals answered 4xx with the reason (HubSpot does not retry those) and shown on
 * the contact when the contact is known.
 */
class HubSpotWorkflowWebhookTest extends BridgeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLED = Duration.ofSeconds(45);
    private static final String PATH = "/hubspot/v1/webhooks/whatsapp-send";

    private OutboundClient client;

    @BeforeEach
    void ready() throws Exception {
        client = new OutboundClient(apiPort);
        hubSpotPortalReady();
        await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM whatsapp_template WHERE "
                + "components IS NOT NULL AND name = 'order_update'", Integer.class) == 1);
    }

    @Test
    void aCustomisedWebhookIsSentOncePerContactAndKeyAndShowsOnTheContact() throws Exception {
        String number = "+165054" + String.format("%05d", (int) (Math.random() * 100_000));
        String contact = OutboundClient.hubSpotContact(number);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hs_object_id", contact);
        body.put("whatsapp_id", number);
        body.put("template_name", "order_update");
        body.put("language", "en_US");
        body.put("parameters", "[\"#4521\", \"on its way\"]");
        HttpResponse<String> accepted = post("?key=order-shipped", Signature.V3, DevServices.DEV_HUBSPOT_APP_SECRET, body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("id").asText();
        // HubSpot sends it again (its 30 s timeout passed on its side): the same request
        HttpResponse<String> again = post("?key=order-shipped", Signature.V2, DevServices.DEV_HUBSPOT_APP_SECRET, body);
        assertThat(JSON.readTree(again.body()).path("id").asText()).isEqualTo(id);

        String wamid = client.awaitStatus(id, "read", SETTLED).path("wamid").asText();
        assertThat(OutboundClient.sendsOf(id)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT requested_by FROM outbound_request WHERE id = ?::uuid", String.class, id))
                .isEqualTo("webhook:order-shipped");
        await().atMost(SETTLED).untilAsserted(() -> {
            var communications = DevServices.get().hubspot().portal().find("communications", "whatsapp_message_id", wamid);
            assertThat(communications).singleElement().satisfies(c -> assertThat(DevServices.get().hubspot().portal()
                    .associated("communications", c.id(), "contacts")).hasSize(1));
        });
    }

    @Test
    void hubSpotsOwnObjectWithTheMessageInTheQueryIsReadAndItsRefusalsSaid() throws Exception {
        String number = "+165053" + String.format("%05d", (int) (Math.random() * 100_000));
        String contact = OutboundClient.hubSpotContact(number);
        // the contact as the workflow sends "all properties": HubSpot's object, values with their history
        Map<String, Object> object = Map.of("vid", Long.parseLong(contact), "portal-id", 4242424, "properties", Map.of(
                "whatsapp_id", Map.of("value", number, "versions", List.of(Map.of("value", number))),
                "firstname", Map.of("value", "Ana")));
        HttpResponse<String> outsideWindow = post("?text=Hello&key=hello-1", Signature.V3,
                DevServices.DEV_HUBSPOT_APP_SECRET, object);
        assertThat(outsideWindow.statusCode()).as(outsideWindow.body()).isEqualTo(202);
        String id = JSON.readTree(outsideWindow.body()).path("id").asText();
        assertThat(client.awaitStatus(id, "refused", SETTLED).path("reason").path("code").asText())
                .isEqualTo("outside_service_window");

        Map<String, Object> withoutNumber = Map.of("vid", Long.parseLong(OutboundClient.hubSpotContact(null)), "properties",
                Map.of("firstname", Map.of("value", "Bo")));
        HttpResponse<String> refused = post("?text=Hello&key=hello-1", Signature.V3, DevServices.DEV_HUBSPOT_APP_SECRET,
                withoutNumber);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("no_whatsapp_number");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_request WHERE idempotency_key = ? AND state = "
                + "'refused'", Integer.class, "hubspot-webhook:" + withoutNumber.get("vid") + ":hello-1")).isOne();
        // sent again by a workflow re-run: refused again, with the same reason
        assertThat(post("?text=Hello&key=hello-1", Signature.V3, DevServices.DEV_HUBSPOT_APP_SECRET, withoutNumber)
                .statusCode()).isEqualTo(422);
    }

    @Test
    void onlySignedWebhooksWithAContactAndAKeyAreTaken() throws Exception {
        Map<String, Object> body = Map.of("hs_object_id", "101", "whatsapp_id", "+16505200000", "text", "Hi");
        assertThat(post("?key=k", Signature.V3, "another-secret", body).statusCode()).isEqualTo(401);
        assertThat(post("?key=k", Signature.NONE, DevServices.DEV_HUBSPOT_APP_SECRET, body).statusCode()).isEqualTo(401);
        // the query is signed too: a key added on the way is not HubSpot's
        HttpResponse<String> tampered = workflows().sendWebhook("http://localhost:" + apiPort + PATH + "?key=other",
                DevServices.DEV_HUBSPOT_WEBHOOK_URL + "?key=k", DevServices.DEV_HUBSPOT_APP_SECRET, Signature.V3, body,
                System.currentTimeMillis());
        assertThat(tampered.statusCode()).isEqualTo(401);
        // HubSpot signs v3 over the URI with escapes such as %2C decoded: a key with a comma still passes
        HttpResponse<String> comma = post("?key=spring%2C2026", Signature.V3, DevServices.DEV_HUBSPOT_APP_SECRET,
                Map.of("hs_object_id", "102", "text", "Hi"));
        assertThat(comma.statusCode()).as(comma.body()).isEqualTo(422);
        assertThat(comma.body()).contains("no_whatsapp_number");
        HttpResponse<String> noKey = post("", Signature.V3, DevServices.DEV_HUBSPOT_APP_SECRET, body);
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.body()).contains("idempotency_key_required");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_request WHERE idempotency_key LIKE "
                + "'hubspot-webhook:101:%'", Integer.class)).as("recorded nowhere").isZero();
    }

    private HttpResponse<String> post(String query, Signature signature, String secret, Map<String, Object> body)
            throws Exception {
        return workflows().sendWebhook("http://localhost:" + apiPort + PATH + query,
                DevServices.DEV_HUBSPOT_WEBHOOK_URL + query, secret, signature, body, System.currentTimeMillis());
    }

    private static HubSpotWorkflows workflows() {
        return DevServices.get().hubspot().workflows();
    }

}
