package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.intake.EnvelopeHints;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

/**
 * A poll that fails because of one bad delivery is worked record by record: the bad one is dead-lettered, and every
 * delivery behind it in the same poll still becomes its fact (none is left unread, none committed unread).
 */
class PollFallbackTest extends BridgeIntegrationTest {

    private static final String INBOUND = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-";

    @Test
    void theDeliveriesBehindADeadLetteredOneInItsPollAllBecomeFacts() throws Exception {
        List<String> runs = List.of(Fixtures.newRun(), Fixtures.newRun(), Fixtures.newRun(), Fixtures.newRun());
        byte[] bad = ("{\"object\":\"whatsapp_business_account\",\"entry\":[" + runs.get(0)).getBytes(StandardCharsets.UTF_8);
        try (TopicProbe facts = TopicProbe.open("whatsapp.facts");
                TopicProbe dlq = TopicProbe.open("whatsapp.webhooks.dlq");
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                        DevServices.get().kafkaBrokers(), "linger.ms", 200), new StringSerializer(),
                        new ByteArraySerializer())) {
            // one customer's key: one partition, one flush, so the normaliser reads the four in one poll
            send(producer, Fixtures.load("message-text", runs.get(1)));
            send(producer, bad);
            send(producer, Fixtures.load("message-text", runs.get(2)));
            send(producer, Fixtures.load("message-text", runs.get(3)));
            producer.flush();

            for (String run : runs.subList(1, 4)) {
                String wamid = INBOUND + run + "-text";
                assertThat(facts.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains(wamid), 1,
                        Duration.ofSeconds(20))).as("the fact of " + run).isNotEmpty();
            }
            assertThat(dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains(runs.get(0)), 1,
                    Duration.ofSeconds(5))).extracting(r -> TopicProbe.header(r, "whatsapp-dlq-reason"))
                    .containsExactly("not_json");
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, byte[] delivery) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>("whatsapp.webhooks.raw", "customer:16505551234",
                delivery);
        record.headers().add(EnvelopeHints.RECEIVED_AT, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }
}
