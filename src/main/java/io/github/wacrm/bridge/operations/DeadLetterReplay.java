package io.github.wacrm.bridge.operations;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.pipeline.RecordSizeLimit;
import io.github.wacrm.bridge.pipeline.TopicNames;

/**
 * The replay command for a dead-letter topic, once the cause is fixed:
 * {@code curl -X POST localhost:8081/actuator/deadletters/salesforce} (or {@code .../hubspot}, {@code .../webhooks}).
 * Copies every dead letter not replayed before (its own consumer group remembers how far it got), bytes, key and
 * headers kept: a sink's to the sink's replay topic, which the sink reads with the facts; the webhooks' back to the
 * topic each came from (a delivery to the raw topic, through the normaliser again; an event to the events topic,
 * through the router again), where the idempotent consumer lets each fact through once however often it is replayed.
 * A record refused again is dead-lettered again and replayed by the next run.
 */
@Component
@Endpoint(id = "deadletters")
public class DeadLetterReplay {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    /** Where a dead letter of one topic goes back to: a fixed replay topic, or the topic it came from. */
    private record Target(String deadLetters, String replayTo, Set<String> sources) {

        String topicFor(ConsumerRecord<byte[], byte[]> deadLetter) {
            if (replayTo != null) {
                return replayTo;
            }
            Header source = deadLetter.headers().lastHeader(SOURCE_TOPIC);
            String topic = source == null ? null : new String(source.value(), StandardCharsets.UTF_8);
            return topic != null && sources.contains(topic) ? topic : null;
        }
    }

    static final String SOURCE_TOPIC = "whatsapp-dlq-source-topic";
    static final String REASON = "whatsapp-dlq-reason";
    static final String REPLAYED_AT = "whatsapp-replayed-at";

    /** What one replay copied: per target topic, per dead-letter reason; and what it could not place. */
    private record Replayed(Map<String, Long> byTopic, Map<String, Long> byReason, long replayedBefore, long skipped) {

        long total() {
            return byTopic.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final String brokers;
    private final String groupPrefix;
    private final int maxRecordBytes;
    private final Map<String, Target> targets = new LinkedHashMap<>();

    public DeadLetterReplay(@Value("${camel.component.kafka.brokers}") String brokers,
            @Value("${whatsapp.kafka.group-id}") String groupId, RecordSizeLimit limit, TopicNames topics) {
        this.brokers = brokers;
        this.groupPrefix = groupId + "-dlq-replay-";
        this.maxRecordBytes = limit.maxRecordBytes();
        targets.put("webhooks", new Target(topics.dlq(), null, Set.of(topics.raw(), topics.events())));
        targets.put("salesforce", new Target(topics.salesforceDlq(), topics.salesforceReplay(), Set.of()));
        targets.put("hubspot", new Target(topics.hubspotDlq(), topics.hubspotReplay(), Set.of()));
        // media dead letters go back on their CRM's replay topic, which the CRM's media route reads too
        targets.put("salesforce-activity", new Target(topics.salesforceActivityDlq(), topics.salesforceReplay(), Set.of()));
        targets.put("hubspot-activity", new Target(topics.hubspotActivityDlq(), topics.hubspotReplay(), Set.of()));
    }

    /** Replays the dead letters of one topic; answers how many were copied, from which topic to which. */
    @WriteOperation
    public synchronized Map<String, Object> replay(@Selector String sink) {
        Target target = targets.get(sink);
        if (target == null) {
            throw new IllegalArgumentException("unknown dead-letter topic '" + sink + "'; known: " + targets.keySet());
        }
        Replayed replayed = copy(target, groupPrefix + sink);
        LOG.info("Replayed {} dead letters from {}: {} by reason {}", replayed.total(), target.deadLetters(),
                replayed.byTopic(), replayed.byReason());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sink", sink);
        answer.put("from", target.deadLetters());
        answer.put("to", target.replayTo() != null ? target.replayTo() : "the topic each came from");
        answer.put("replayed", replayed.total());
        answer.put("byTopic", replayed.byTopic());
        answer.put("byReason", replayed.byReason());
        // dead letters that a replay had already put back once, and that failed again
        answer.put("replayedBefore", replayed.replayedBefore());
        if (replayed.skipped() > 0) {
            answer.put("skipped", replayed.skipped());
        }
        return answer;
    }

    private Replayed copy(Target target, String group) {
        String from = target.deadLetters();
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes);
        Map<String, Long> byTopic = new TreeMap<>();
        Map<String, Long> byReason = new TreeMap<>();
        long replayedBefore = 0;
        long skipped = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(from, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            byte[] replayedAt = Instant.now().toString().getBytes(StandardCharsets.UTF_8);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(10)) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(tp)) {
                        continue;
                    }
                    String to = target.topicFor(record);
                    done.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    if (to == null) {
                        // stays in the dead-letter topic, where it can still be read; the replay moves past it
                        LOG.warn("Dead letter {}-{}@{} names no topic the bridge reads ({}): not replayed", record.topic(),
                                record.partition(), record.offset(), header(record, SOURCE_TOPIC));
                        skipped++;
                        continue;
                    }
                    if (record.headers().lastHeader(REPLAYED_AT) != null) {
                        replayedBefore++;
                    }
                    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(to, null, record.key(), record.value(),
                            record.headers());
                    copy.headers().remove(REPLAYED_AT);
                    copy.headers().add(REPLAYED_AT, replayedAt);
                    sent.add(producer.send(copy));
                    byTopic.merge(to, 1L, Long::sum);
                    byReason.merge(header(record, REASON), 1L, Long::sum);
                }
            }
            producer.flush();
            for (Future<RecordMetadata> write : sent) {
                write.get(); // every copy is stored before the dead letters are marked replayed
            }
            consumer.commitSync(done);
            return new Replayed(byTopic, byReason, replayedBefore, skipped);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a replayed record could not be written; nothing was marked replayed: "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
