package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceOrg;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.LargeDeliveries;
import io.github.wacrm.bridge.support.TopicProbe;

/** Deliveries of any size the intake accepts end in the CRMs or in the dead-letter topic, and never block a partition. */
class OversizedDeliveriesTest extends BridgeIntegrationTest {

    private static final Duration SYNCED = Duration.ofSeconds(45);
    private static final String INBOUND = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-";
    private final SalesforceOrg salesforce = DevServices.get().salesforce().org();
    private final HubSpotPortal hubspot = DevServices.get().hubspot().portal();

    @Autowired
    private CamelContext camel;

    @Test
    void everyProducerTakesTheLargestRecordTheIntakeAccepts() {
        assertThat(camel.getComponent("kafka", KafkaComponent.class).getConfiguration().getMaxRequestSize())
                .as("max-body-bytes 3 MiB + 64 KiB of headroom").isEqualTo(3_211_264);
    }

    @Test
    void aSingleTextOfTwoAndAHalfMegabytesReachesBothCrmsCutToTheirFields() throws Exception {
        hubSpotPortalReady();
        String run = Fixtures.newRun();
        byte[] delivery = LargeDeliveries.singleText(run, 2_500_000);

        assertThat(postSigned(delivery).statusCode()).isEqualTo(200);

        String wamid = INBOUND + run + "-text";
        Map<String, Object> message = await().atMost(SYNCED).until(() -> salesforce.all("WhatsApp_Message__c").stream()
                .filter(m -> wamid.equals(m.get("Wamid__c"))).findFirst().orElse(null), m -> m != null);
        String body = (String) message.get("Body__c");
        assertThat(body).startsWith("Olá, a very long message 👋");
        assertThat(body.codePointCount(0, body.length())).isLessThanOrEqualTo(32_768);
        HubSpotPortal.Record communication = await().atMost(SYNCED)
                .until(() -> hubspot.find("communications", "whatsapp_message_id", wamid), found -> found.size() == 1)
                .get(0);
        assertThat(communication.properties().get("hs_communication_body")).startsWith("Olá, a very long message");
    }

    @Test
    void oneThousandStatusesInOneDeliveryAllReachBothCrms() throws Exception {
        hubSpotPortalReady();
        String run = Fixtures.newRun();

        assertThat(postSigned(LargeDeliveries.statuses(run, 1000)).statusCode()).isEqualTo(200);

        String marker = "-" + run + "-out-";
        await().atMost(SYNCED).pollInterval(Duration.ofMillis(500)).until(() -> salesforce.all("WhatsApp_Message__c")
                .stream().filter(m -> String.valueOf(m.get("Wamid__c")).contains(marker)
                        && m.get("Sent_At__c") != null).count() == 1000);
        await().atMost(SYNCED).pollInterval(Duration.ofMillis(500)).until(() -> hubspot.all("communications").stream()
                .filter(c -> String.valueOf(c.properties().get("whatsapp_message_id")).contains(marker)
                        && c.properties().containsKey("whatsapp_sent_at")).count() == 1000);
    }

    @Test
    void aDeliveryTooLargeForTheEventsTopicIsDeadLetteredAndThePartitionMovesOnWithinSeconds() throws Exception {
        String run = Fixtures.newRun();
        // Meta's own value of an unknown field is kept whole: about 300 KB, more than the events topic will take now
        byte[] oversized = new String(Fixtures.load("unknown-field", run), StandardCharsets.UTF_8)
                .replace("\"value\": {", "\"value\": {\"note\": \"" + "x".repeat(300_000) + "\",")
                .getBytes(StandardCharsets.UTF_8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                (Object) DevServices.get().kafkaBrokers()));
                TopicProbe dlq = TopicProbe.open("whatsapp.webhooks.dlq");
                TopicProbe events = TopicProbe.open("whatsapp.events")) {
            maxMessageBytes(admin, "whatsapp.events", "100000");
            try {
                assertThat(postSigned(oversized).statusCode()).as("stored raw, as every signed delivery").isEqualTo(200);

                List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> Arrays.equals(r.value(), oversized), 1,
                        Duration.ofSeconds(20));
                assertThat(dead).hasSize(1);
                assertThat(TopicProbe.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo("too_large");
                assertThat(TopicProbe.header(dead.get(0), "whatsapp-dlq-detail")).contains("RecordTooLargeException");

                // the next delivery on the same raw partition is normalised within seconds
                int partition = Integer.parseInt(TopicProbe.header(dead.get(0), "whatsapp-dlq-source-partition"));
                String next = Fixtures.newRun();
                long sent = System.nanoTime();
                produceRaw(partition, Fixtures.load("message-text", next));
                assertThat(events.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains(next), 1,
                        Duration.ofSeconds(10))).hasSize(1);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(10));
            } finally {
                maxMessageBytes(admin, "whatsapp.events", null);
            }
        }
    }

    /** Sets (or, with null, removes) the topic's max.message.bytes, and waits until the broker reports it. */
    private static void maxMessageBytes(Admin admin, String topic, String bytes) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        AlterConfigOp op = bytes == null
                ? new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes), AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String now = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
            return bytes == null ? !"100000".equals(now) : bytes.equals(now);
        });
        Thread.sleep(500); // the partition leader applies the change
    }

    /** What the intake writes for a signed delivery, on one chosen partition of the raw topic. */
    private static void produceRaw(int partition, byte[] delivery) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                DevServices.get().kafkaBrokers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("whatsapp.webhooks.raw", partition, null, delivery);
            record.headers().add("whatsapp-received-at", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
