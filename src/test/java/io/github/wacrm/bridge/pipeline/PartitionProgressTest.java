package io.github.wacrm.bridge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A partition whose group's offset stops moving while records wait is seen as stalled, from the broker's view. */
class PartitionProgressTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aPartitionWithRecordsWaitingAndAnOffsetThatDoesNotMoveIsStalledUntilItMovesAgain() throws Exception {
        String run = Fixtures.newRun();
        String topic = "progress-" + run;
        String group = "group-" + run;
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                (Object) DevServices.get().kafkaBrokers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            produce(topic, 3);
            admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(1))).all().get();

            TestClock clock = new TestClock();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            PartitionProgress progress = new PartitionProgress(Map.of(group, List.of(topic)), registry,
                    DevServices.get().kafkaBrokers(), Duration.ofSeconds(60), clock);

            progress.check();
            assertThat(progress.stalled()).as("just seen: not yet stalled").isEmpty();
            assertThat(gauge(registry, "whatsapp.consumer.lag", group)).isEqualTo(2.0);

            clock.advance(Duration.ofSeconds(61));
            progress.check();
            assertThat(progress.stalled()).containsExactly(new PartitionProgress.Partition(group, topic, 0, 1, 2, 61));
            assertThat(gauge(registry, "whatsapp.consumer.stalled.seconds", group)).isEqualTo(61.0);
            PipelineHealthIndicator health = new PipelineHealthIndicator(progress, new BridgeTopics(
                    new TopicNames(null, null, null, null, null, null, null, null, null, null, null, null), new RecordSizeLimit(1000, 10),
                    noRetention(), DevServices.get().kafkaBrokers(), true, 1, (short) 1, 1000));
            assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
            assertThat(health.health().getDetails().get("stalled").toString()).contains(group);

            admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(3))).all().get();
            clock.advance(Duration.ofSeconds(15));
            progress.check();
            assertThat(progress.stalled()).isEmpty();
            assertThat(gauge(registry, "whatsapp.consumer.lag", group)).isZero();
            assertThat(gauge(registry, "whatsapp.consumer.stalled.seconds", group)).isZero();
            progress.destroy();
        }
    }

    @Test
    void aGroupThatNeverCommittedIsBehindFromTheStartOfThePartition() throws Exception {
        String run = Fixtures.newRun();
        String topic = "fresh-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                (Object) DevServices.get().kafkaBrokers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            produce(topic, 2);
            PartitionProgress progress = new PartitionProgress(Map.of("never-" + run, List.of(topic)),
                    new SimpleMeterRegistry(), DevServices.get().kafkaBrokers(), Duration.ofSeconds(60), new TestClock());

            progress.check();

            assertThat(progress.partitions()).singleElement()
                    .satisfies(p -> assertThat(p.lag()).isEqualTo(2));
            progress.destroy();
        }
    }

    @Test
    void aBrokerThatCannotBeReachedIsReportedNotThrownAndThePipelineHealthIsUnknown() {
        PartitionProgress progress = new PartitionProgress(Map.of("g", List.of("t")), new SimpleMeterRegistry(),
                "127.0.0.1:9", Duration.ofSeconds(60), new TestClock());
        PipelineHealthIndicator health = new PipelineHealthIndicator(progress, new BridgeTopics(
                new TopicNames(null, null, null, null, null, null, null, null, null, null, null, null), new RecordSizeLimit(1000, 10),
                noRetention(), "127.0.0.1:9", true,
                1, (short) 1, 1000));
        assertThat(health.health().getStatus().getCode()).as("before any check").isEqualTo("UNKNOWN");

        progress.check();

        assertThat(progress.lastCheck()).isNull();
        assertThat(progress.lastFailure()).isNotBlank();
        assertThat(health.health().getStatus().getCode()).isEqualTo("UNKNOWN");
        assertThat(health.health().getDetails()).containsKey("lastCheckFailed");
        progress.destroy();
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String group) {
        return registry.get(name).tag("group", group).gauge().value();
    }

    private static void produce(String topic, int count) throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", DevServices.get().kafkaBrokers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
            }
        }
    }

    private static TopicRetention noRetention() {
        return new TopicRetention(new TopicNames(null, null, null, null, null, null, null, null, null, null, null, null),
                java.time.Duration.ofDays(8), java.time.Duration.ofDays(7));
    }
}
