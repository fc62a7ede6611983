package io.github.wacrm.bridge.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Whether every consumer group of the pipeline keeps moving, per partition, as the broker sees it (so a replica that
 * died, a record retried without end or a CRM that is away all show, whichever pod looks). Called by the
 * {@code whatsapp-pipeline-progress} route. A partition with records behind its committed offset whose offset has not
 * moved for {@code whatsapp.pipeline.stall-after-ms} is stalled: metrics
 * {@code whatsapp_consumer_lag{group,topic,partition}} and {@code whatsapp_consumer_stalled_seconds} (the time since
 * the offset last moved while there was lag; 0 otherwise), the {@code pipeline} health component, and a log line
 * naming the group, topic, partition and offset once a minute while it lasts.
 */
@Component("partitionProgress")
public class PartitionProgress implements DisposableBean {

    /** One partition of one group, as of the last check. */
    public record Partition(String group, String topic, int partition, long offset, long lag, long stalledSeconds) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PartitionProgress.class);
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final String brokers;
    private final Map<String, List<String>> topicsByGroup;
    private final Duration stallAfter;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private Admin admin;
    private volatile Instant lastCheck;
    private volatile String lastFailure;

    @Autowired
    public PartitionProgress(PipelineGroups groups, MeterRegistry registry,
            @Value("${camel.component.kafka.brokers}") String brokers,
            @Value("${whatsapp.pipeline.stall-after-ms:60000}") long stallAfterMs) {
        this(groups.topicsByGroup(), registry, brokers, Duration.ofMillis(stallAfterMs), Clock.systemUTC());
    }

    public PartitionProgress(Map<String, List<String>> topicsByGroup, MeterRegistry registry, String brokers,
            Duration stallAfter, Clock clock) {
        this.topicsByGroup = topicsByGroup;
        this.registry = registry;
        this.brokers = brokers;
        this.stallAfter = stallAfter;
        this.clock = clock;
    }

    /** One look at every group: lag and progress per partition; logs what is stalled (once a minute). */
    public synchronized void check() {
        try {
            Admin kafka = admin();
            // each topic described and its end offsets listed once, though several groups read it (the facts topic)
            Map<String, List<TopicPartition>> partitionsByTopic = partitions(kafka);
            Map<TopicPartition, Long> ends = offsets(kafka, partitionsByTopic.values().stream().flatMap(List::stream)
                    .toList(), OffsetSpec.latest());
            for (Map.Entry<String, List<String>> group : topicsByGroup.entrySet()) {
                observe(group.getKey(), group.getValue().stream().flatMap(t -> partitionsByTopic.get(t).stream())
                        .toList(), ends, kafka);
            }
            lastCheck = clock.instant();
            lastFailure = null;
        } catch (Exception e) {
            lastFailure = e.getClass().getSimpleName();
            LOG.debug("Consumer progress could not be read from Kafka ({})", lastFailure);
            closeAdmin();
        }
    }

    /** The partitions stalled as of the last check, longest first. */
    public List<Partition> stalled() {
        Instant now = clock.instant();
        return progress.values().stream().filter(p -> p.isStalled(now)).map(p -> p.view(now))
                .sorted(Comparator.comparingLong(Partition::stalledSeconds).reversed()).toList();
    }

    /** Every partition watched, as of the last check. */
    public List<Partition> partitions() {
        return progress.values().stream().map(p -> p.view(clock.instant())).toList();
    }

    public Instant lastCheck() {
        return lastCheck;
    }

    /** Why the last check could not read Kafka (an exception type), null when it could. */
    public String lastFailure() {
        return lastFailure;
    }

    public Duration stallAfter() {
        return stallAfter;
    }

    private Map<String, List<TopicPartition>> partitions(Admin kafka) throws Exception {
        List<String> topics = topicsByGroup.values().stream().flatMap(List::stream).distinct().toList();
        Map<String, List<TopicPartition>> partitions = new HashMap<>();
        for (var description : kafka.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
            partitions.put(description.name(), description.partitions().stream()
                    .map(p -> new TopicPartition(description.name(), p.partition())).toList());
        }
        return partitions;
    }

    private void observe(String group, List<TopicPartition> partitions, Map<TopicPartition, Long> ends, Admin kafka)
            throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> starts = offsets(kafka, partitions.stream()
                .filter(tp -> committed.get(tp) == null).toList(), OffsetSpec.earliest());
        Instant now = clock.instant();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            long position = offset != null ? offset.offset() : starts.getOrDefault(tp, 0L);
            long lag = Math.max(0, ends.getOrDefault(tp, position) - position);
            progress.computeIfAbsent(group + "/" + tp, key -> register(new Progress(group, tp)))
                    .observe(position, lag, now);
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin kafka, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> answer = kafka.listOffsets(request).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        answer.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private Progress register(Progress p) {
        String partition = String.valueOf(p.partition.partition());
        Gauge.builder("whatsapp.consumer.lag", p, Progress::lag)
                .description("Records of the partition not yet committed by the consumer group")
                .tags("group", p.group, "topic", p.partition.topic(), "partition", partition).register(registry);
        Gauge.builder("whatsapp.consumer.stalled.seconds", p, q -> q.stalledMillis(clock.instant()) / 1000.0)
                .description("Seconds since the group's offset on the partition last moved while records were waiting")
                .tags("group", p.group, "topic", p.partition.topic(), "partition", partition).register(registry);
        return p;
    }

    private Admin admin() {
        if (admin == null) {
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "whatsapp-crm-bridge-progress");
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            admin = Admin.create(config);
        }
        return admin;
    }

    private void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }

    @Override
    public synchronized void destroy() {
        closeAdmin();
    }

    /** What is known of one partition of one group. */
    private final class Progress {
        private final String group;
        private final TopicPartition partition;
        private volatile long offset = -1;
        private volatile long lag;
        private volatile Instant movedAt;
        private Instant loggedAt;

        Progress(String group, TopicPartition partition) {
            this.group = group;
            this.partition = partition;
        }

        void observe(long position, long currentLag, Instant now) {
            boolean wasStalled = isStalled(now);
            if (position != offset || currentLag == 0 || movedAt == null) {
                movedAt = now;
            }
            offset = position;
            lag = currentLag;
            if (isStalled(now)) {
                if (loggedAt == null || Duration.between(loggedAt, now).compareTo(LOG_EVERY) >= 0) {
                    LOG.warn("Consumer group {} is stalled on {}-{} at offset {}: {} records waiting, no progress for {} s",
                            group, partition.topic(), partition.partition(), offset, lag, stalledMillis(now) / 1000);
                    loggedAt = now;
                }
            } else if (wasStalled) {
                LOG.info("Consumer group {} moves again on {}-{} (offset {}, {} records waiting)", group,
                        partition.topic(), partition.partition(), offset, lag);
                loggedAt = null;
            }
        }

        boolean isStalled(Instant now) {
            return lag > 0 && stalledMillis(now) >= stallAfter.toMillis();
        }

        long stalledMillis(Instant now) {
            return lag == 0 || movedAt == null ? 0 : Duration.between(movedAt, now).toMillis();
        }

        double lag() {
            return lag;
        }

        Partition view(Instant now) {
            return new Partition(group, partition.topic(), partition.partition(), offset, lag, stalledMillis(now) / 1000);
        }
    }
}
