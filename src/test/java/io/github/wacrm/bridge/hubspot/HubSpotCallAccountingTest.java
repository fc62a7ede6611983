package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Every HubSpot call is one the call route sent and saw: the HTTP client sends nothing again behind its back. */
class HubSpotCallAccountingTest extends BridgeIntegrationTest {

    private static final String INBOUND = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-";
    private final HubSpotEmulator hubspot = DevServices.get().hubspot();

    @Autowired
    private MeterRegistry meters;

    @AfterEach
    void healHubSpot() {
        hubspot.recover();
    }

    @Test
    void every429HubSpotAnswersIsSeenByTheCallRouteNoneIsSentAgainBehindItsBack() throws Exception {
        hubSpotPortalReady();
        long answeredBefore = hubspot.answers(429);
        double seenBefore = throttledCalls();
        hubspot.throttleNext(4);
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("message-text", run)).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> hubspot.portal()
                .find("communications", "whatsapp_message_id", INBOUND + run + "-text").size() == 1);

        assertThat(hubspot.answers(429) - answeredBefore).isEqualTo(4);
        assertThat(throttledCalls() - seenBefore).as("each 429 counted by the bridge, inside its budget").isEqualTo(4);
    }

    /** The bridge's count of HubSpot answers 429 ({@code hubspot_api_calls_total{outcome="throttled"}}), every endpoint. */
    private double throttledCalls() {
        return meters.find("hubspot.api.calls").tag("outcome", "throttled").counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
