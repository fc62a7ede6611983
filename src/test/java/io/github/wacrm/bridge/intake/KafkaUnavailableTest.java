package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.Fixtures;

/** When the broker cannot take a webhook within the bound, Meta gets 503 and redelivers: nothing is acknowledged unstored. */
@TestPropertySource(properties = {
        "camel.component.kafka.brokers=127.0.0.1:9",
        "whatsapp.kafka.ack-timeout-ms=1500",
        "whatsapp.kafka.request-timeout-ms=1000",
        "whatsapp.kafka.topic-check-timeout-ms=1000"})
@DirtiesContext
class KafkaUnavailableTest extends BridgeIntegrationTest {

    /** This class runs a context of its own next to the shared one, so its listener needs a port of its own. */
    private static final int OWN_WEBHOOK_PORT = io.github.wacrm.bridge.support.DevServices.freePort();

    @org.springframework.test.context.DynamicPropertySource
    static void ownPort(org.springframework.test.context.DynamicPropertyRegistry registry) {
        registry.add("whatsapp.webhook.port", () -> OWN_WEBHOOK_PORT);
    }

    @Override
    protected int webhookPort() {
        return OWN_WEBHOOK_PORT;
    }

    @Test
    void aWebhookTheBrokerCannotTakeWithinTheBoundGets503() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = postSigned(Fixtures.load("message-text", Fixtures.newRun()));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(tookMillis).as("answered within the bound, not after Meta's own timeout").isLessThan(10_000);
        assertThat(actuator("/actuator/prometheus").body())
                .containsPattern(metric("whatsapp_webhooks_total", "outcome=\"unavailable\""));
    }

    @Test
    void readinessGoesDownWhileKafkaIsUnreachable() throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        HttpResponse<String> readiness = actuator("/actuator/health/readiness");
        while (readiness.statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            readiness = actuator("/actuator/health/readiness");
        }
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).containsPattern("\"camelReadinessState\":\\{\"status\":\"(DOWN|OUT_OF_SERVICE)\"");
        assertThat(actuator("/actuator/health/liveness").statusCode()).as("a broker outage is no reason to restart").isEqualTo(200);
    }

    @Test
    void badSignaturesAreStillRefusedWithoutTouchingKafka() throws Exception {
        assertThat(post(Fixtures.load("message-text", Fixtures.newRun()), "sha256=" + "0".repeat(64)).statusCode())
                .isEqualTo(401);
    }
}
