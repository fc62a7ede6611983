package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.normalize.WebhookNormalizer;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

/** The webhook dead-letter topic replays through the pipeline once the cause is fixed; twice changes nothing. */
class WebhookReplayTest extends BridgeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INBOUND = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-";
    private final SalesforceEmulator salesforce = DevServices.get().salesforce();
    private final HubSpotPortal hubspot = DevServices.get().hubspot().portal();

    @Test
    void deadLetteredDeliveriesAndEventsAreProcessedOnceAfterAReplayAndASecondReplayChangesNothing() throws Exception {
        hubSpotPortalReady();
        String run = Fixtures.newRun();
        byte[] delivery = Fixtures.load("message-text", run);
        CanonicalEvent image = new WebhookNormalizer(new PhoneIdentity(""))
                .normalize(Fixtures.load("message-image", run), Instant.now().toString()).get(0);
        // as an earlier version dead-lettered them: the delivery twice (two redeliveries), the router's event once
        deadLetter(null, delivery, "whatsapp.webhooks.raw");
        deadLetter(null, delivery, "whatsapp.webhooks.raw");
        deadLetter(image.partitionKey, JSON.writeValueAsBytes(image), "whatsapp.events");

        try (TopicProbe facts = TopicProbe.open("whatsapp.facts")) {
            JsonNode first = replay();
            assertThat(first.path("to").asText()).isEqualTo("the topic each came from");
            assertThat(first.path("byTopic").path("whatsapp.webhooks.raw").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(first.path("byTopic").path("whatsapp.events").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(first.path("byReason").path("processing_failed").asInt()).isGreaterThanOrEqualTo(3);

            String text = INBOUND + run + "-text";
            String imageWamid = INBOUND + run + "-image";
            for (String wamid : new String[] {text, imageWamid}) {
                await().atMost(Duration.ofSeconds(30)).until(() -> salesforceMessages(wamid) == 1);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> hubspot.find("communications", "whatsapp_message_id", wamid).size() == 1);
            }

            JsonNode second = replay();
            assertThat(second.path("replayed").asInt()).as("only what failed again after the first replay comes back")
                    .isEqualTo(second.path("replayedBefore").asInt());
            Thread.sleep(2000);
            assertThat(salesforceMessages(text)).isEqualTo(1);
            assertThat(salesforceMessages(imageWamid)).isEqualTo(1);
            assertThat(hubspot.find("communications", "whatsapp_message_id", text)).hasSize(1);
            // the delivery came back twice and was replayed twice: the idempotent consumer published its fact once
            assertThat(facts.settle(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"dedupKey\":\"message:"
                    + text + "\""), Duration.ofSeconds(2))).as("the fact published once").hasSize(1);
        }
    }

    private JsonNode replay() throws Exception {
        HttpResponse<String> replay = postActuator("/actuator/deadletters/webhooks");
        assertThat(replay.statusCode()).isEqualTo(200);
        return JSON.readTree(replay.body());
    }

    private long salesforceMessages(String wamid) {
        return salesforce.org().all("WhatsApp_Message__c").stream().filter(m -> wamid.equals(m.get("Wamid__c"))).count();
    }

    /** A record on the webhook dead-letter topic as the dead-letter route writes it. */
    private static void deadLetter(String key, byte[] value, String sourceTopic) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                DevServices.get().kafkaBrokers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("whatsapp.webhooks.dlq",
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
            record.headers().add("whatsapp-received-at", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
            record.headers().add("whatsapp-dlq-reason", "processing_failed".getBytes(StandardCharsets.UTF_8));
            record.headers().add("whatsapp-dlq-source-topic", sourceTopic.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
