package io.github.wacrm.bridge.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What Kafka may still hold of a person after their erasure: Kafka cannot delete one person's records from a topic,
 * so each topic keeps them until its retention has run out for the segment they are in. Read from the broker
 * ({@code retention.ms} plus {@code segment.ms}: a segment is deleted whole once closed and past retention, within
 * minutes of the broker's next retention check); the
 * policy's figures when the broker cannot be asked.
 */
@Component
public class KafkaHoldings {

    /**
     * After retention has run out for a closed segment, Kafka deletes it at its next retention check
     * ({@code log.retention.check.interval.ms}, 5 minutes by default) and the file a minute later
     * ({@code file.delete.delay.ms}).
     */
    static final Duration DELETION_DELAY = Duration.ofMinutes(6);

    /** One topic: how long it keeps a record at most, and so until when an erased person may still be in it. */
    public record Holding(String topic, String retention, String segment, Instant heldUntilAtTheLatest,
            boolean fromBroker) {
    }

    private final TopicNames topics;
    private final TopicRetention policy;
    private final String brokers;

    public KafkaHoldings(TopicNames topics, TopicRetention policy,
            @Value("${camel.component.kafka.brokers}") String brokers) {
        this.topics = topics;
        this.policy = policy;
        this.brokers = brokers;
    }

    /** Every topic of the bridge, as of {@code now}. */
    public List<Holding> asOf(Instant now) {
        Map<ConfigResource, Config> configs = Map.of();
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(config)) {
            configs = admin.describeConfigs(topics.all().stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList())
                    .all().get(6, TimeUnit.SECONDS);
        } catch (Exception unreadable) {
            // the broker away or not allowing it: the policy's figures, marked as such
        }
        List<Holding> held = new ArrayList<>();
        for (String topic : topics.all()) {
            Config read = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic));
            Long retentionMs = millis(read, TopicConfig.RETENTION_MS_CONFIG);
            Long segmentMs = millis(read, TopicConfig.SEGMENT_MS_CONFIG);
            boolean fromBroker = retentionMs != null;
            if (!fromBroker) {
                Duration kept = policy.retentionOf(topic);
                retentionMs = kept == null ? null : kept.toMillis();
                String segment = policy.segmentMs(topic);
                segmentMs = segment == null ? null : Long.parseLong(segment);
            }
            Instant until = retentionMs == null || retentionMs < 0 ? null
                    : now.plusMillis(retentionMs + (segmentMs == null ? 0 : segmentMs)).plus(DELETION_DELAY);
            held.add(new Holding(topic, describe(retentionMs), describe(segmentMs), until, fromBroker));
        }
        return held;
    }

    private static Long millis(Config config, String name) {
        ConfigEntry entry = config == null ? null : config.get(name);
        if (entry == null || entry.value() == null) {
            return null;
        }
        try {
            return Long.parseLong(entry.value());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static String describe(Long ms) {
        if (ms == null) {
            return "unknown";
        }
        return ms < 0 ? "for ever" : Duration.ofMillis(ms).toString();
    }
}
