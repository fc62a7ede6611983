package io.github.wacrm.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotWorkflows;
import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.intake.SignatureVerifier;
import io.github.wacrm.bridge.outbound.OutboundClient;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * Every secret that may change while the bridge runs is rotated through its file (a mounted Secret) with traffic
 * flowing, and nothing is lost: the app secret as Meta rotates it (webhooks signed under the old one, then the new),
 * the verify token, the operator and outbound API tokens (new one handed out beside the old, then the old retired), the
 * WhatsApp access token and the HubSpot private app's token (a new one issued, the old revoked), the HubSpot app's
 * client secret (the new beside the old, then the old retired). Each test puts the suite's values back.
 */
class SecretRotationTest extends BridgeIntegrationTest {

    private static final Duration PICKED_UP = Duration.ofSeconds(10);

    @Test
    void theAppSecretRotatesWhileWebhooksFlowAndEveryOneIsStored() throws Exception {
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        String[] signingWith = {APP_SECRET};
        AtomicBoolean flowing = new AtomicBoolean(true);
        Thread meta = new Thread(() -> {
            while (flowing.get()) {
                String run = Fixtures.newRun();
                byte[] body = Fixtures.load("message-text", run);
                try {
                    answers.put(wamid(run), post(body, SignatureVerifier.sign(body, signingWith[0])).statusCode());
                    Thread.sleep(20);
                } catch (Exception e) {
                    answers.put(wamid(run), -1);
                }
            }
        }, "meta-during-rotation");
        meta.start();
        try {
            // Meta's app secret is reset: the new one is added beside the old, Meta signs with it, the old is retired
            write("app-secrets", "rotated-app-secret," + APP_SECRET);
            await().atMost(PICKED_UP).until(() -> signedStatus("rotated-app-secret") == 200);
            signingWith[0] = "rotated-app-secret";
            Thread.sleep(500);
            write("app-secrets", "rotated-app-secret");
            await().atMost(PICKED_UP).until(() -> signedStatus(APP_SECRET) == 401);
            Thread.sleep(500);
        } finally {
            flowing.set(false);
            meta.join();
            write("app-secrets", APP_SECRET + "," + PREVIOUS_APP_SECRET);
            await().atMost(PICKED_UP).until(() -> signedStatus(APP_SECRET) == 200);
        }
        assertThat(answers).hasSizeGreaterThan(20);
        assertThat(answers.values()).as("every webhook of the rotation answered 200").containsOnly(200);
        for (String wamid : answers.keySet()) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !salesforceWhere("WhatsApp_Message__c", "Wamid__c", wamid).isEmpty());
        }
    }

    @Test
    void theVerifyTokenRotates() throws Exception {
        try {
            write("verify-token", "rotated-verify-token");
            await().atMost(PICKED_UP).until(() -> handshake("rotated-verify-token").statusCode() == 200);
            assertThat(handshake("rotated-verify-token").body()).isEqualTo("challenge-42");
            assertThat(handshake(VERIFY_TOKEN).statusCode()).isEqualTo(403);
        } finally {
            write("verify-token", VERIFY_TOKEN);
            await().atMost(PICKED_UP).until(() -> handshake(VERIFY_TOKEN).statusCode() == 200);
        }
    }

    @Test
    void anOperatorTokenRotatesWithTheOldOneWorkingUntilItIsRetired() throws Exception {
        String path = "/actuator/hubspot";
        try {
            write("operator-token-previous", OPERATOR_TOKEN);
            write("operator-token", "rotated-operator-token");
            await().atMost(PICKED_UP).until(() -> actuator("GET", path, "rotated-operator-token").statusCode() == 200);
            assertThat(actuator("GET", path, OPERATOR_TOKEN).statusCode()).isEqualTo(200);
            write("operator-token-previous", "");
            await().atMost(PICKED_UP).until(() -> actuator("GET", path, OPERATOR_TOKEN).statusCode() == 401);
            assertThat(actuator("GET", path, "rotated-operator-token").statusCode()).isEqualTo(200);
        } finally {
            write("operator-token", OPERATOR_TOKEN);
            await().atMost(PICKED_UP).until(() -> actuator("GET", path, OPERATOR_TOKEN).statusCode() == 200);
        }
    }

    @Test
    void anOutboundApiTokenRotates() throws Exception {
        OutboundClient outbound = new OutboundClient(apiPort);
        String path = "/api/v1/messages/00000000-0000-0000-0000-000000000000";
        try {
            write("outbound-api-token", "rotated-outbound-token");
            await().atMost(PICKED_UP)
                    .until(() -> outbound.api("GET", path, "rotated-outbound-token", null, null).statusCode() == 404);
            assertThat(outbound.api("GET", path, DevServices.DEV_OUTBOUND_TOKEN, null, null).statusCode())
                    .isEqualTo(401);
        } finally {
            write("outbound-api-token", DevServices.DEV_OUTBOUND_TOKEN);
            await().atMost(PICKED_UP).until(() -> outbound.api("GET", path, DevServices.DEV_OUTBOUND_TOKEN, null, null)
                    .statusCode() == 404);
        }
    }

    @Test
    void theWhatsAppTokenRotatesAndSendsGoOutUnderTheNewOne() throws Exception {
        WhatsAppCloudEmulator whatsapp = DevServices.get().whatsapp();
        OutboundClient outbound = new OutboundClient(apiPort);
        underRotatedToken("whatsapp-access-token", WhatsAppCloudEmulator.DEV_TOKEN, "rotated-whatsapp-token",
                whatsapp::issueToken, whatsapp::revokeToken, () -> {
                    HttpResponse<String> accepted = outbound.send("rotation-" + Fixtures.newRun(),
                            OutboundClient.orderUpdate(OutboundClient.newNumber()));
                    assertThat(accepted.statusCode()).isEqualTo(202);
                    outbound.awaitStatus(OutboundClient.json(accepted).path("id").asText(), "read",
                            Duration.ofSeconds(60));
                });
    }

    @Test
    void theHubSpotTokenRotatesAndTheSinkWritesUnderTheNewOne() throws Exception {
        hubSpotPortalReady();
        HubSpotEmulator hubspot = DevServices.get().hubspot();
        underRotatedToken("hubspot-access-token", HubSpotEmulator.DEV_TOKEN, "rotated-hubspot-token",
                hubspot::issueToken, hubspot::revokeToken, () -> {
                    String run = Fixtures.newRun();
                    assertThat(postSigned(Fixtures.load("message-text", run)).statusCode()).isEqualTo(200);
                    String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text";
                    await().atMost(Duration.ofSeconds(60)).until(() -> !hubspot.portal().find("communications",
                            "whatsapp_message_id", wamid).isEmpty());
                    assertThat(hubSpotSetupCheck().statusCode()).as("the setup command calls under the new token too")
                            .isEqualTo(200);
                });
    }

    private interface Traffic {
        void flow() throws Exception;
    }

    /**
     * A token rotated as the services do it: the new one issued, its file written, the old one revoked once the
     * bridge has had time to read the file; then {@code traffic} must go through under the new one. The suite's token
     * is put back in the same way afterwards.
     */
    private static void underRotatedToken(String file, String current, String rotated,
            java.util.function.Consumer<String> issue, java.util.function.Consumer<String> revoke, Traffic traffic)
            throws Exception {
        try {
            issue.accept(rotated);
            write(file, rotated);
            Thread.sleep(1000);
            revoke.accept(current);
            traffic.flow();
        } finally {
            issue.accept(current);
            write(file, current);
            Thread.sleep(1000);
            revoke.accept(rotated);
        }
    }

    @Test
    void theHubSpotClientSecretRotatesWithTheOldOneWorkingUntilItIsRetired() throws Exception {
        String contact = OutboundClient.hubSpotContactWith("+165054" + String.format("%05d",
                (int) (Math.random() * 100_000)));
        try {
            write("hubspot-app-client-secrets", "rotated-client-secret," + DevServices.DEV_HUBSPOT_APP_SECRET);
            await().atMost(PICKED_UP).until(() -> workflowAction("rotated-client-secret", contact) == 200);
            assertThat(workflowAction(DevServices.DEV_HUBSPOT_APP_SECRET, contact)).isEqualTo(200);
            write("hubspot-app-client-secrets", "rotated-client-secret");
            await().atMost(PICKED_UP).until(() -> workflowAction(DevServices.DEV_HUBSPOT_APP_SECRET, contact) == 401);
            assertThat(workflowAction("rotated-client-secret", contact)).isEqualTo(200);
        } finally {
            write("hubspot-app-client-secrets", DevServices.DEV_HUBSPOT_APP_SECRET);
            await().atMost(PICKED_UP).until(() -> workflowAction(DevServices.DEV_HUBSPOT_APP_SECRET, contact) == 200);
        }
    }

    private int workflowAction(String secret, String contact) throws Exception {
        HubSpotWorkflows workflows = DevServices.get().hubspot().workflows();
        return workflows.execute("http://localhost:" + apiPort + "/hubspot/v1/actions/whatsapp-send",
                DevServices.DEV_HUBSPOT_ACTION_URL, secret, HubSpotWorkflows.Signature.V3, workflows.newCallbackId(),
                contact, Map.of("template_name", "order_update", "language", "en_US", "parameters",
                        "[\"#4521\", \"on its way\"]"), System.currentTimeMillis()).statusCode();
    }

    private HttpResponse<String> hubSpotSetupCheck() throws Exception {
        return actuator("GET", "/actuator/hubspot", OPERATOR_TOKEN);
    }

    private static void write(String key, String value) throws Exception {
        // as Kubernetes updates a mounted Secret: the new content appears whole
        java.nio.file.Path next = Files.writeString(SECRETS_DIR.resolve("." + key + ".next"), value);
        Files.move(next, SECRETS_DIR.resolve(key), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private int signedStatus(String secret) throws Exception {
        byte[] body = Fixtures.load("message-text", Fixtures.newRun());
        return post(body, SignatureVerifier.sign(body, secret)).statusCode();
    }

    private HttpResponse<String> handshake(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + webhookPort() + WEBHOOK_PATH
                + "?hub.mode=subscribe&hub.verify_token=" + token + "&hub.challenge=challenge-42"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String wamid(String run) {
        return "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text";
    }

}
