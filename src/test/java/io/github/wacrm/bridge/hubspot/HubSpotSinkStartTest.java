package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;

/**
 * routes/55-hubspot-sink-start: once the portal has the bridge's properties the HubSpot sink starts and the portal check
 * ends. The shared portal starts empty, so here the setup command makes it ready (the check's own path, every
 * recheck-ms, is HubSpotPortalSetupTest's).
 */
class HubSpotSinkStartTest extends BridgeIntegrationTest {

    @Autowired
    CamelContext camel;

    @Test
    void theSetupCommandStartsTheSinkAndEndsThePortalCheckWithoutTakingReadinessDown() throws Exception {
        hubSpotPortalReady();
        await().atMost(Duration.ofSeconds(30)).until(() -> status("hubspot-sink") == ServiceStatus.Started
                && status("hubspot-portal-check") == ServiceStatus.Stopped);
        assertThat(actuator("/actuator/health/readiness").statusCode()).isEqualTo(200);
        // the setup command starts the sink through the same route: a started sink stays started
        camel.createFluentProducerTemplate().to("direct:hubspot-sink-start").send();
        assertThat(status("hubspot-sink")).isEqualTo(ServiceStatus.Started);
    }

    private ServiceStatus status(String routeId) {
        return camel.getRouteController().getRouteStatus(routeId);
    }
}
