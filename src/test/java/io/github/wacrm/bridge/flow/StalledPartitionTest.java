package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/** A partition that stops moving is seen: metric, pipeline health, while readiness (Meta's 200s) stays up. */
class StalledPartitionTest extends BridgeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SALESFORCE_GROUP = "whatsapp-crm-bridge-salesforce";
    private final SalesforceEmulator salesforce = DevServices.get().salesforce();

    @AfterEach
    void healSalesforce() {
        salesforce.recover();
    }

    @Test
    void aSinkThatCannotWriteIsReportedStalledUntilItMovesAgain() throws Exception {
        salesforce.goDown();
        assertThat(postSigned(Fixtures.load("message-text", Fixtures.newRun())).statusCode()).isEqualTo(200);

        JsonNode pipeline = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(this::pipelineHealth, health -> stalledGroup(health, SALESFORCE_GROUP) != null);
        assertThat(pipeline.path("status").asText()).isEqualTo("DOWN");
        JsonNode stalled = stalledGroup(pipeline, SALESFORCE_GROUP);
        assertThat(stalled.path("topic").asText()).startsWith("whatsapp.");
        assertThat(stalled.path("lag").asLong()).isPositive();
        assertThat(stalled.path("stalledSeconds").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(actuator("/actuator/prometheus").body()).containsPattern(
                "whatsapp_consumer_stalled_seconds\\{[^}]*group=\"" + SALESFORCE_GROUP + "\"[^}]*\\} [1-9]");
        assertThat(actuator("/actuator/health/readiness").statusCode()).as("Meta still gets its 200s").isEqualTo(200);

        salesforce.recover();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(this::pipelineHealth, health -> stalledGroup(health, SALESFORCE_GROUP) == null);
    }

    private JsonNode pipelineHealth() throws Exception {
        return JSON.readTree(actuator("/actuator/health").body()).path("components").path("pipeline");
    }

    private static JsonNode stalledGroup(JsonNode pipeline, String group) {
        for (JsonNode partition : pipeline.path("details").path("stalled")) {
            if (group.equals(partition.path("group").asText())) {
                return partition;
            }
        }
        return null;
    }
}
