package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * A rebalance in the middle of a sink's batch: a new member joins the Salesforce sink's group while messages flow and
 * Salesforce answers slowly. The sink members must leave the records they had collected of partitions now owned by
 * the newcomer, never commit those partitions, and never move a committed offset backwards; once the newcomer leaves,
 * every message is written once and each person has one Case.
 */
class SinkOwnershipTest extends BridgeIntegrationTest {

    private static final String GROUP = "whatsapp-crm-bridge-salesforce";
    private static final String TEXT = new String(Fixtures.raw("message-text"), StandardCharsets.UTF_8);
    private static final String FIXTURE_PHONE = "16505551234";
    private static final int PEOPLE = 30;
    private static final int ROUNDS = 6;

    @Test
    void revokedRecordsAreLeftToTheirNewOwnerAndCommittedOffsetsOnlyMoveForward() throws Exception {
        SalesforceEmulator salesforce = DevServices.get().salesforce();
        String run = Fixtures.newRun();
        String prefix = "165058" + (int) (Math.random() * 10);
        salesforce.latency(250);
        try (OffsetWatch watch = new OffsetWatch(); Newcomer newcomer = new Newcomer()) {
            List<String> wamids = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int person = 0; person < PEOPLE; person++) {
                    String token = run + "P" + person + "R" + round;
                    wamids.add("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + token + "-text");
                    byte[] body = TEXT.replace("RUN", token).replace(FIXTURE_PHONE, prefix + String.format("%04d", person))
                            .getBytes(StandardCharsets.UTF_8);
                    assertThat(postSigned(body).statusCode()).isEqualTo(200);
                }
                if (round == 1) {
                    newcomer.join();
                }
                Thread.sleep(300);
            }
            newcomer.awaitAssignment();
            Thread.sleep(3000);
            Map<TopicPartition, Long> atAssignment = newcomer.committedAtAssignment();
            assertThat(atAssignment).as("the newcomer got facts partitions").isNotEmpty();
            assertThat(newcomer.committedNow(atAssignment.keySet()))
                    .as("offsets of the newcomer's partitions while it owns them").isEqualTo(atAssignment);
            newcomer.close();

            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && written(salesforce, run) < wamids.size()) {
                Thread.sleep(250);
            }
            salesforce.latency(0);
            Map<String, List<Map<String, Object>>> messages = byField(salesforce.org().all("WhatsApp_Message__c"),
                    "Wamid__c", run);
            assertThat(messages.keySet()).containsExactlyInAnyOrderElementsOf(wamids);
            assertThat(messages.values()).allSatisfy(records -> assertThat(records).hasSize(1));
            Map<String, List<Map<String, Object>>> cases = byField(salesforce.org().all("Case"), "WhatsApp_Id__c",
                    "+" + prefix);
            assertThat(cases).hasSize(PEOPLE);
            assertThat(cases.values()).as("one Case per conversation").allSatisfy(c -> assertThat(c).hasSize(1));
            assertThat(watch.backwards()).as("committed offsets that moved backwards").isEmpty();
        } finally {
            salesforce.latency(0);
        }
    }

    private static int written(SalesforceEmulator salesforce, String run) {
        return byField(salesforce.org().all("WhatsApp_Message__c"), "Wamid__c", run).size();
    }

    private static Map<String, List<Map<String, Object>>> byField(List<Map<String, Object>> records, String field,
            String containing) {
        Map<String, List<Map<String, Object>>> by = new java.util.HashMap<>();
        for (Map<String, Object> record : records) {
            Object value = record.get(field);
            if (value != null && value.toString().contains(containing)) {
                by.computeIfAbsent(value.toString(), k -> new ArrayList<>()).add(record);
            }
        }
        return by;
    }

    /** A member that joins the sink's group, takes facts partitions, and sits on them without reading or committing. */
    private static final class Newcomer implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", DevServices.get().kafkaBrokers(), "group.id", GROUP,
                "enable.auto.commit", "false",
                "partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor,"
                        + "org.apache.kafka.clients.consumer.RangeAssignor"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        private final Map<TopicPartition, Long> atAssignment = new ConcurrentHashMap<>();
        private final CountDownLatch assigned = new CountDownLatch(1);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Map<TopicPartition, Long>> now = new AtomicReference<>();
        private final CountDownLatch asked = new CountDownLatch(1);
        private volatile boolean askNow;
        private volatile Set<TopicPartition> asking = Set.of();
        private Thread poller;

        void join() {
            poller = new Thread(() -> {
                consumer.subscribe(List.of("whatsapp.facts"), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        partitions.forEach(atAssignment::remove);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        consumer.pause(partitions);
                        atAssignment.putAll(offsets(consumer.committed(Set.copyOf(partitions))));
                        if (!partitions.isEmpty()) {
                            assigned.countDown();
                        }
                    }
                });
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(100));
                    if (askNow) {
                        askNow = false;
                        now.set(offsets(consumer.committed(asking)));
                        asked.countDown();
                    }
                }
                consumer.close(Duration.ofSeconds(5));
            }, "newcomer");
            poller.start();
        }

        void awaitAssignment() throws InterruptedException {
            assigned.await(20, TimeUnit.SECONDS);
        }

        Map<TopicPartition, Long> committedAtAssignment() {
            return Map.copyOf(atAssignment);
        }

        Map<TopicPartition, Long> committedNow(Set<TopicPartition> partitions) throws InterruptedException {
            asking = Set.copyOf(partitions);
            askNow = true;
            asked.await(10, TimeUnit.SECONDS);
            return now.get();
        }

        private static Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetAndMetadata> committed) {
            Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
            committed.forEach((partition, offset) -> offsets.put(partition, offset == null ? -1L : offset.offset()));
            return offsets;
        }

        @Override
        public void close() throws InterruptedException {
            if (running.getAndSet(false) && poller != null) {
                poller.join(10_000);
            }
        }
    }

    /** Samples the group's committed offsets every 50 ms and remembers any that went down. */
    private static final class OffsetWatch implements AutoCloseable {

        private final Admin admin = Admin.create(Map.of("bootstrap.servers", DevServices.get().kafkaBrokers()));
        private final Map<TopicPartition, Long> highest = new ConcurrentHashMap<>();
        private final List<String> backwards = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sampler = new Thread(this::sample, "offset-watch");

        OffsetWatch() {
            sampler.start();
        }

        private void sample() {
            while (running.get()) {
                try {
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS)
                            .forEach((partition, offset) -> {
                                if (offset == null) {
                                    return;
                                }
                                Long before = highest.put(partition, offset.offset());
                                if (before != null && offset.offset() < before) {
                                    backwards.add(partition + ": " + before + " → " + offset.offset());
                                    highest.put(partition, before);
                                }
                            });
                    Thread.sleep(50);
                } catch (InterruptedException stop) {
                    return;
                } catch (Exception retry) {
                    // the broker is busy: the next sample will do
                }
            }
        }

        List<String> backwards() {
            return List.copyOf(backwards);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            sampler.join(10_000);
            admin.close(Duration.ofSeconds(5));
        }
    }
}
