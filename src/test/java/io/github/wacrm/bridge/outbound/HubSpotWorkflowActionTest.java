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
 * The HubSpot entry point, end to end: the HubSpot emulator's workflow runs the custom action "Send a WhatsApp
 * template" against the bridge, signed as HubSpot signs it; the bridge answers BLOCK, sends once (also when HubSpot
 * runs the same execution again), and completes the callback with the outcome the workflow branches on. Unsigned,
 * wrongly signed and stale requests are refused; a request that cannot be sent fails the action with its reason.
 */
class HubSpotWorkflowActionTest extends BridgeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLED = Duration.ofSeconds(45);

    @BeforeEach
    void ready() throws Exception {
        hubSpotPortalReady();
        await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM whatsapp_template WHERE "
                + "components IS NOT NULL AND name = 'order_update'", Integer.class) == 1);
    }

    @Test
    void anActionIsSentOnceAndItsCallbackCompletedWithTheOutcome() throws Exception {
        String contact = OutboundClient.hubSpotContact("+165057" + String.format("%05d", (int) (Math.random() * 100_000)));
        String callback = workflows().newCallbackId();
        JsonNode blocked = outputs(run(Signature.V2, DevServices.DEV_HUBSPOT_APP_SECRET, callback, contact, orderUpdate(),
                System.currentTimeMillis()));
        assertThat(blocked.path("hs_execution_state").asText()).isEqualTo("BLOCK");
        String requestId = blocked.path("whatsapp_request_id").asText();
        // HubSpot runs the same execution again (its request timed out on its side): the same request
        JsonNode again = outputs(run(Signature.V2, DevServices.DEV_HUBSPOT_APP_SECRET, callback, contact, orderUpdate(),
                System.currentTimeMillis()));
        assertThat(again.path("whatsapp_request_id").asText()).isEqualTo(requestId);

        await().atMost(SETTLED).until(() -> workflows().completion(callback).isPresent());
        JsonNode completed = workflows().completion(callback).orElseThrow();
        assertThat(completed.path("hs_execution_state").asText()).isEqualTo("SUCCESS");
        assertThat(completed.path("whatsapp_status").asText()).isIn("delivered", "read");
        assertThat(completed.path("whatsapp_message_id").asText()).startsWith("wamid.");
        assertThat(DevServices.get().whatsapp().sends().stream().filter(s -> s.status() == 200 && ("wacrm:" + requestId)
                .equals(s.body().path("biz_opaque_callback_data").asText())).count()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT source || ' ' || requested_by FROM outbound_request WHERE id = ?::uuid",
                String.class, requestId)).isEqualTo("hubspot workflow:7001");
        assertThat(workflows().completedInBatches()).as("through the batch callback API").isPositive();
    }

    @Test
    void aCallbackHubSpotCouldNotTakeIsFreedAndCompletedOnceHubSpotIsBack() throws Exception {
        String callback = workflows().newCallbackId();
        String contact = OutboundClient.hubSpotContact("+165051" + String.format("%05d", (int) (Math.random() * 100_000)));
        String requestId = outputs(run(Signature.V2, DevServices.DEV_HUBSPOT_APP_SECRET, callback, contact,
                orderUpdate(), System.currentTimeMillis())).path("whatsapp_request_id").asText();
        DevServices.get().hubspot().goDown();
        try {
            await().atMost(SETTLED).until(() -> "read".equals(jdbc.queryForObject("SELECT state FROM outbound_request "
                    + "WHERE id = ?::uuid", String.class, requestId)));
            // ticks fail against HubSpot: the callback stays open, and each failed call frees its claim (not held for
            // the 5 minutes a claim lasts)
            await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM workflow_callback WHERE "
                    + "callback_id = ? AND completed_at IS NULL AND claim_token IS NOT NULL AND claimed_until IS NULL",
                    Integer.class, callback) == 1);
        } finally {
            DevServices.get().hubspot().recover();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> workflows().completion(callback).isPresent());
    }

    @Test
    void aCallbackHubSpotNoLongerWaitsForIsClosedAndTheOthersOfItsBatchStillComplete() throws Exception {
        String waiting = workflows().newCallbackId();
        String expired = workflows().newCallbackId();
        for (String callback : List.of(waiting, expired)) {
            String contact = OutboundClient.hubSpotContact("+165052" + String.format("%05d", (int) (Math.random() * 100_000)));
            assertThat(outputs(run(Signature.V2, DevServices.DEV_HUBSPOT_APP_SECRET, callback, contact, orderUpdate(),
                    System.currentTimeMillis())).path("hs_execution_state").asText()).isEqualTo("BLOCK");
        }
        // the execution expired on HubSpot's side before its outcome came
        workflows().expire(expired);
        await().atMost(SETTLED).until(() -> workflows().completion(waiting).isPresent());
        await().atMost(SETTLED).until(() -> "expired".equals(jdbc.queryForObject("SELECT outcome FROM workflow_callback "
                + "WHERE callback_id = ?", String.class, expired)));
        assertThat(workflows().completion(expired)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT outcome FROM workflow_callback WHERE callback_id = ?", String.class,
                waiting)).isEqualTo("success");
    }

    @Test
    void onlyRequestsHubSpotSignedWithTheAppSecretAndNotStaleAreTaken() throws Exception {
        String number = "+165056" + String.format("%05d", (int) (Math.random() * 100_000));
        String contact = OutboundClient.hubSpotContact(number);
        long now = System.currentTimeMillis();
        assertThat(run(Signature.V2, "another-secret", workflows().newCallbackId(), contact, orderUpdate(), now)
                .statusCode()).isEqualTo(401);
        assertThat(run(Signature.NONE, DevServices.DEV_HUBSPOT_APP_SECRET, workflows().newCallbackId(), contact,
                orderUpdate(), now).statusCode()).isEqualTo(401);
        HttpResponse<String> stale = run(Signature.V3, DevServices.DEV_HUBSPOT_APP_SECRET, workflows().newCallbackId(),
                contact, orderUpdate(), now - Duration.ofMinutes(10).toMillis());
        assertThat(stale.statusCode()).isEqualTo(401);
        assertThat(stale.body()).contains("older than");
        assertThat(outputs(run(Signature.V3, DevServices.DEV_HUBSPOT_APP_SECRET, workflows().newCallbackId(), contact,
                orderUpdate(), now)).path("hs_execution_state").asText()).isEqualTo("BLOCK");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_request WHERE source = 'hubspot' AND "
                + "recipient = ?", Integer.class, number)).as("the refused ones are recorded nowhere").isOne();
    }

    @Test
    void aRequestThatCannotBeSentFailsTheActionWithItsReason() throws Exception {
        String withoutNumber = OutboundClient.hubSpotContact(null);
        JsonNode refused = outputs(run(Signature.V2, DevServices.DEV_HUBSPOT_APP_SECRET, workflows().newCallbackId(),
                withoutNumber, orderUpdate(), System.currentTimeMillis()));
        assertThat(refused.path("hs_execution_state").asText()).isEqualTo("FAIL_CONTINUE");
        assertThat(refused.path("whatsapp_status").asText()).isEqualTo("refused");
        assertThat(refused.path("whatsapp_reason").asText()).startsWith("no_whatsapp_number: ");

        // refused later by the sender's checks: the callback says so
        String contact = OutboundClient.hubSpotContact("+165055" + String.format("%05d", (int) (Math.random() * 100_000)));
        Map<String, String> notApproved = new LinkedHashMap<>(orderUpdate());
        notApproved.put("template_name", "old_promo");
        String callback = workflows().newCallbackId();
        assertThat(outputs(run(Signature.V2, DevServices.DEV_HUBSPOT_APP_SECRET, callback, contact, notApproved,
                System.currentTimeMillis())).path("hs_execution_state").asText()).isEqualTo("BLOCK");
        await().atMost(SETTLED).until(() -> workflows().completion(callback).isPresent());
        JsonNode completed = workflows().completion(callback).orElseThrow();
        assertThat(completed.path("hs_execution_state").asText()).isEqualTo("FAIL_CONTINUE");
        assertThat(completed.path("whatsapp_status").asText()).isEqualTo("refused");
        assertThat(completed.path("whatsapp_reason").asText()).startsWith("template_not_approved: ");
    }

    private HttpResponse<String> run(Signature signature, String secret, String callback, String contact,
            Map<String, String> inputs, long at) throws Exception {
        return workflows().execute("http://localhost:" + apiPort + "/hubspot/v1/actions/whatsapp-send",
                DevServices.DEV_HUBSPOT_ACTION_URL, secret, signature, callback, contact, inputs, at);
    }

    private static JsonNode outputs(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("outputFields");
    }

    private static Map<String, String> orderUpdate() {
        return Map.of("template_name", "order_update", "language", "en_US", "parameters", "[\"#4521\", \"on its way\"]");
    }

    private static HubSpotWorkflows workflows() {
        return DevServices.get().hubspot().workflows();
    }

}
