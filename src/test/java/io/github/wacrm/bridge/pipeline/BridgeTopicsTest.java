package io.github.wacrm.bridge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/** The start-up check of the topics, against a real broker: created right, refused when too small, patient when away. */
class BridgeTopicsTest {

    private static final int MAX_BODY = 3_145_728;
    private static Admin admin;

    @BeforeAll
    static void connect() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, DevServices.get().kafkaBrokers());
        admin = Admin.create(config);
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void theLargestRecordIsTheLargestBodyPlusItsHeadroom() {
        assertThat(new RecordSizeLimit(MAX_BODY, 65_536).maxRecordBytes()).isEqualTo(3_211_264);
        assertThatThrownBy(() -> new RecordSizeLimit(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTopicTooSmallForTheLargestRecordStopsTheStartWithTheCommandThatFixesIt() throws Exception {
        String topic = "small-" + Fixtures.newRun();
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588")))).all().get();

        BridgeTopics topics = topics(DevServices.get().kafkaBrokers(), topic, true);

        assertThatThrownBy(topics::afterPropertiesSet).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(topic + ": max.message.bytes is 1048588")
                .hasMessageContaining("--entity-name " + topic + " --add-config max.message.bytes=3211264");
        assertThat(topics.problems()).hasSize(1);
    }

    @Test
    void aMissingTopicIsCreatedTakingTheLargestRecord() throws Exception {
        String topic = "missing-" + Fixtures.newRun();

        BridgeTopics topics = topics(DevServices.get().kafkaBrokers(), topic, true);
        topics.afterPropertiesSet();

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        // a topic just created may take a moment to be known to the broker's metadata (UnknownTopicOrPartition)
        String[] size = new String[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            size[0] = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
            return true;
        });
        assertThat(size[0]).isEqualTo("3211264");
        assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(2);
        assertThat(topics.isChecked()).isTrue();
        assertThat(topics.problems()).isEmpty();
    }

    @Test
    void aMissingTopicTheBridgeMayNotCreateStopsTheStart() {
        String topic = "absent-" + Fixtures.newRun();

        assertThatThrownBy(topics(DevServices.get().kafkaBrokers(), topic, false)::afterPropertiesSet)
                .hasMessageContaining(topic + ": does not exist")
                .hasMessageContaining("whatsapp.kafka.create-missing-topics=true");
    }

    @Test
    void aBrokerThatCannotBeReachedDoesNotStopTheStartAndIsCheckedAgainLater() {
        BridgeTopics topics = topics("127.0.0.1:9", "whatsapp.webhooks.raw", true);

        topics.afterPropertiesSet();
        topics.checkIfPending();

        assertThat(topics.isChecked()).isFalse();
        assertThat(topics.problems()).isEmpty();
    }

    @Test
    void aReplayTopicWithOtherPartitionsThanTheFactsTopicStopsTheStart() throws Exception {
        String facts = "facts-" + Fixtures.newRun();
        String replay = "replay-" + Fixtures.newRun();
        admin.createTopics(List.of(new NewTopic(facts, 3, (short) 1), new NewTopic(replay, 2, (short) 1))).all().get();
        TopicNames names = new TopicNames(null, null, null, null, facts, null, replay, null, null, null, null, null);
        for (String topic : List.of(facts, replay)) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "3211264"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
        }

        BridgeTopics topics = new BridgeTopics(names, new RecordSizeLimit(MAX_BODY, 65_536), retention(names),
                DevServices.get().kafkaBrokers(), true, 2, (short) 1, 1500);

        assertThatThrownBy(topics::afterPropertiesSet).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(replay + ": has 2 partitions, " + facts + " has 3");
    }

    @Test
    void aCreatedTopicKeepsItsRecordsAsLongAsThePolicySaysAndNoLonger() throws Exception {
        String topic = "kept-" + Fixtures.newRun();

        topics(DevServices.get().kafkaBrokers(), topic, true).afterPropertiesSet();

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String[] kept = new String[2];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            org.apache.kafka.clients.admin.Config config = admin.describeConfigs(List.of(resource)).all().get()
                    .get(resource);
            kept[0] = config.get(TopicConfig.RETENTION_MS_CONFIG).value();
            kept[1] = config.get(TopicConfig.SEGMENT_MS_CONFIG).value();
            return true;
        });
        assertThat(kept[0]).as("8 days: the raw topic holds whole webhook bodies").isEqualTo("691200000");
        assertThat(kept[1]).as("a day: a record is gone at most a day after its retention").isEqualTo("86400000");
    }

    @Test
    void anExistingTopicThatKeepsLongerIsReportedWithTheFixButDoesNotStopTheStart() throws Exception {
        String forever = "forever-" + Fixtures.newRun();
        String shorter = "shorter-" + Fixtures.newRun();
        admin.createTopics(List.of(
                new NewTopic(forever, 1, (short) 1).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "3211264",
                        TopicConfig.RETENTION_MS_CONFIG, "-1")),
                new NewTopic(shorter, 1, (short) 1).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "3211264",
                        TopicConfig.RETENTION_MS_CONFIG, "86400000")))).all().get();
        TopicNames names = new TopicNames(forever, shorter, null, null, null, null, null, null, null, null, null, null);
        BridgeTopics topics = new BridgeTopics(names, new RecordSizeLimit(MAX_BODY, 65_536), retention(names),
                DevServices.get().kafkaBrokers(), true, 2, (short) 1, 1500);

        topics.afterPropertiesSet();

        assertThat(topics.problems()).isEmpty();
        assertThat(topics.retentionWarnings()).singleElement().asString().startsWith(forever + ": keeps records for ever")
                .contains("--entity-name " + forever + " --add-config retention.ms=691200000");
    }

    @Test
    void theRetentionPolicyNamesBodiesAndPipelineTopics() {
        TopicNames names = new TopicNames("raw", "events", "dlq", "unhandled", "facts", "sf-dlq", "sf-replay",
                "hs-dlq", "hs-replay", "outbound", "sf-activity-dlq", "hs-activity-dlq");
        TopicRetention retention = retention(names);
        for (String bodies : List.of("raw", "dlq", "unhandled", "sf-dlq", "hs-dlq")) {
            assertThat(retention.retentionMs(bodies)).as(bodies).isEqualTo("691200000");
        }
        for (String pipeline : List.of("events", "facts", "sf-replay", "hs-replay", "outbound")) {
            assertThat(retention.retentionMs(pipeline)).as(pipeline).isEqualTo("604800000");
        }
        assertThat(retention.warning("facts", "691200000", "b:9")).contains("longer than the 168 h");
        assertThat(retention.warning("facts", "604800000", "b:9")).isNull();
        assertThat(retention.retentionMs("someone-elses")).isNull();
    }

    private static TopicRetention retention(TopicNames names) {
        return new TopicRetention(names, java.time.Duration.ofDays(8), java.time.Duration.ofDays(7));
    }

    private static BridgeTopics topics(String brokers, String topic, boolean create) {
        TopicNames names = new TopicNames(topic, null, null, null, null, null, null, null, null, null, null, null);
        return new BridgeTopics(names, new RecordSizeLimit(MAX_BODY, 65_536), retention(names), brokers, create, 2,
                (short) 1, 1500);
    }
}
