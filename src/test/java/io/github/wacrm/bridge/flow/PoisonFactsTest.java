package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.FactsTopic;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

/** A fact a sink can never write is dead-lettered alone, and the facts behind it on its partition are written at once. */
class PoisonFactsTest extends BridgeIntegrationTest {

    private final SalesforceEmulator salesforce = DevServices.get().salesforce();
    private final HubSpotPortal hubspot = DevServices.get().hubspot().portal();

    @Test
    void aPoisonFactInTheSalesforceSinkIsDeadLetteredAndTheNextFactOfItsPartitionIsWrittenWithinSeconds() throws Exception {
        String poison = Fixtures.newRun();
        String next = Fixtures.newRun();
        try (TopicProbe dlq = TopicProbe.open("whatsapp.salesforce.dlq")) {
            // both facts share a key, hence a partition: the good one waits behind the poison
            FactsTopic.produce(FactsTopic.poison(poison));
            FactsTopic.produce(FactsTopic.userPreference(next, "2024-11-22T10:06:40Z", "bsuid:" + next));

            Map<String, Object> contact = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> salesforce.query("SELECT Id, WhatsApp_Opt_In_Status__c FROM Contact WHERE "
                            + "WhatsApp_Id__c = '" + next + "'"), rows -> rows.size() == 1).get(0);
            assertThat(contact).containsEntry("WhatsApp_Opt_In_Status__c", "Opted Out");
            assertThat(dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains("k-" + poison), 1,
                    Duration.ofSeconds(5))).hasSize(1);
        }
    }

    @Test
    void aPoisonFactInTheHubSpotSinkIsDeadLetteredAndTheNextFactOfItsPartitionIsWrittenWithinSeconds() throws Exception {
        hubSpotPortalReady();
        String poison = Fixtures.newRun();
        String next = Fixtures.newRun();
        try (TopicProbe dlq = TopicProbe.open("whatsapp.hubspot.dlq")) {
            // both facts share a key, hence a partition: the good one waits behind the poison
            FactsTopic.produce(FactsTopic.poison(poison));
            FactsTopic.produce(FactsTopic.userPreference(next, "2024-11-22T10:06:40Z", "bsuid:" + next));

            await().atMost(Duration.ofSeconds(15)).until(() -> hubspot.find("contacts", "whatsapp_id", next).stream()
                    .anyMatch(c -> "opted_out".equals(c.properties().get("whatsapp_opt_in_status"))));
            assertThat(dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains("k-" + poison), 1,
                    Duration.ofSeconds(5))).hasSize(1);
        }
    }
}
