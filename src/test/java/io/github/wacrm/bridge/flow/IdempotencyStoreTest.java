package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

/** The shared state in PostgreSQL end to end: confirmed keys, retention, and poison records (claims: FactClaimsTest). */
class IdempotencyStoreTest extends BridgeIntegrationTest {

    @Autowired
    private ProducerTemplate camel;

    @Test
    void everyProcessedFactsKeyIsConfirmed() throws Exception {
        String run = Fixtures.newRun();
        postSigned(Fixtures.load("status-delivered", run));
        String key = "status:wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-" + run + "-out:delivered";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Boolean> confirmed = List.of();
        while (System.nanoTime() < deadline && !confirmed.equals(List.of(true))) {
            confirmed = jdbc.queryForList("SELECT confirmed FROM camel_messageprocessed WHERE messageId = ?", Boolean.class, key);
            Thread.sleep(100);
        }
        assertThat(confirmed).containsExactly(true);
    }

    @Test
    void keysOlderThanTheRetentionArePurgedAndYoungerOnesKept() {
        String old = "message:wamid.OLD-" + Fixtures.newRun();
        String young = "message:wamid.YOUNG-" + Fixtures.newRun();
        insertKey(old, Instant.now().minus(Duration.ofDays(9)));
        insertKey(young, Instant.now().minus(Duration.ofDays(7)));

        camel.sendBody("direct:whatsapp-retention-purge", null);

        assertThat(countKey(old)).isZero();
        assertThat(countKey(young)).isEqualTo(1);
    }

    @Test
    void auditRowsOlderThanTheirRetentionArePurged() {
        java.util.UUID old = java.util.UUID.randomUUID();
        java.util.UUID young = java.util.UUID.randomUUID();
        for (var row : java.util.Map.of(old, 31, young, 29).entrySet()) {
            jdbc.update("INSERT INTO event_audit (event_id, dedup_key, kind, processed_at) VALUES (?, ?, 'message', ?)",
                    row.getKey(), "message:" + row.getKey(), Timestamp.from(Instant.now().minus(Duration.ofDays(row.getValue()))));
        }

        camel.sendBody("direct:whatsapp-retention-purge", null);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_audit WHERE event_id = ?", Integer.class, old)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_audit WHERE event_id = ?", Integer.class, young)).isEqualTo(1);
    }

    @Test
    void fieldClocksNotMovedForTheirRetentionArePurged() {
        String old = "contact|+1-OLD-" + Fixtures.newRun();
        String young = "contact|+1-YOUNG-" + Fixtures.newRun();
        for (var row : java.util.Map.of(old, 91, young, 89).entrySet()) {
            jdbc.update("INSERT INTO crm_field_clock (crm, record_key, field, event_at, updated_at) "
                    + "VALUES ('salesforce', ?, 'optInStatus', now(), ?)", row.getKey(),
                    Timestamp.from(Instant.now().minus(Duration.ofDays(row.getValue()))));
        }

        camel.sendBody("direct:whatsapp-retention-purge", null);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM crm_field_clock WHERE record_key = ?", Integer.class, old))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM crm_field_clock WHERE record_key = ?", Integer.class, young))
                .isEqualTo(1);
    }

    @Test
    void aRecordThatAlwaysFailsIsDeadLetteredAndDoesNotBlockItsPartition() throws Exception {
        String run = Fixtures.newRun();
        byte[] poison = ("{\"schemaVersion\":1,\"kind\":\"message\",\"dedupKey\":\"message:" + run + "\", broken")
                .getBytes(StandardCharsets.UTF_8);
        try (TopicProbe dlq = TopicProbe.open("whatsapp.webhooks.dlq");
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(java.util.Map.of(
                        "bootstrap.servers", DevServices.get().kafkaBrokers()),
                        new StringSerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < DevServices.PARTITIONS; partition++) {
                producer.send(new ProducerRecord<>("whatsapp.events", partition, "poison", poison)).get();
            }
            var dead = dlq.await(r -> java.util.Arrays.equals(r.value(), poison), DevServices.PARTITIONS, Duration.ofSeconds(30));

            assertThat(dead).hasSize(DevServices.PARTITIONS).allSatisfy(r -> {
                assertThat(TopicProbe.header(r, "whatsapp-dlq-reason")).isEqualTo("unreadable");
                assertThat(TopicProbe.header(r, "whatsapp-dlq-source-topic")).isEqualTo("whatsapp.events");
            });
        }
        // every partition still flows
        String next = Fixtures.newRun();
        postSigned(Fixtures.load("batch-several-entries-and-numbers", next));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int audited = 0;
        while (System.nanoTime() < deadline && audited < 5) {
            audited = jdbc.queryForObject("SELECT count(*) FROM event_audit WHERE message_id LIKE ?", Integer.class,
                    "wamid.BATCH-" + next + "%");
            Thread.sleep(100);
        }
        assertThat(audited).isEqualTo(5);
    }

    @Test
    void aFactThatFailsForGoodAfterItsClaimIsDeadLetteredAndItsKeyReleasedForAReplay() throws Exception {
        String run = Fixtures.newRun();
        String dedupKey = "message:wamid.POISON-" + run;
        // a well-formed event the audit trail cannot store: its event id is not a UUID
        byte[] event = ("{\"schemaVersion\":1,\"eventId\":\"not-a-uuid-" + run + "\",\"dedupKey\":\"" + dedupKey
                + "\",\"kind\":\"message\",\"field\":\"messages\",\"occurredAt\":\"2024-11-22T10:06:40Z\","
                + "\"receivedAt\":\"2024-11-22T10:06:41Z\",\"partitionKey\":\"phone:+16505551234\","
                + "\"messageId\":\"wamid.POISON-" + run + "\",\"customer\":{\"waId\":\"16505551234\"},"
                + "\"payload\":{\"type\":\"text\"}}").getBytes(StandardCharsets.UTF_8);
        try (TopicProbe dlq = TopicProbe.open("whatsapp.webhooks.dlq");
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(java.util.Map.of(
                        "bootstrap.servers", DevServices.get().kafkaBrokers()),
                        new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("whatsapp.events", "phone:+16505551234", event)).get();
            var dead = dlq.await(r -> java.util.Arrays.equals(r.value(), event), 1, Duration.ofSeconds(30));

            assertThat(dead).hasSize(1);
            assertThat(TopicProbe.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo("processing_failed");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM camel_messageprocessed WHERE messageId = ?",
                Integer.class, dedupKey)).as("released, so a replay from the dead-letter topic is processed").isZero();
    }

    private void insertKey(String key, Instant createdAt) {
        jdbc.update("INSERT INTO camel_messageprocessed (processorName, messageId, createdAt) VALUES (?, ?, ?)",
                "whatsapp-events", key, Timestamp.from(createdAt));
    }

    private int countKey(String key) {
        return jdbc.queryForObject("SELECT count(*) FROM camel_messageprocessed WHERE messageId = ?", Integer.class, key);
    }
}
