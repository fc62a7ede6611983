package io.github.wacrm.bridge.operations;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * The replay command for a sink's dead-letter topic, once the cause is fixed:
 * {@code curl -X POST localhost:8081/actuator/deadletters/salesforce} (or {@code .../hubspot}). Copies every dead
 * letter not replayed before (its own consumer group remembers how far it got) to the sink's replay topic, which the
 * sink reads with the facts; the bytes, key and headers are kept. A fact refused again is dead-lettered again and
 * replayed by the next run.
 */
@Component
@Endpoint(id = "deadletters")
public class DeadLetterReplay {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final String brokers;
    private final String groupPrefix;
    private final Map<String, String[]> sinks = new LinkedHashMap<>();

    public DeadLetterReplay(@Value("${camel.component.kafka.brokers}") String brokers,
            @Value("${whatsapp.kafka.group-id}") String groupId,
            @Value("${whatsapp.topics.salesforce-dlq}") String salesforceDlq,
            @Value("${whatsapp.topics.salesforce-replay}") String salesforceReplay,
            @Value("${whatsapp.topics.hubspot-dlq}") String hubspotDlq,
            @Value("${whatsapp.topics.hubspot-replay}") String hubspotReplay) {
        this.brokers = brokers;
        this.groupPrefix = groupId + "-dlq-replay-";
        sinks.put("salesforce", new String[] {salesforceDlq, salesforceReplay});
        sinks.put("hubspot", new String[] {hubspotDlq, hubspotReplay});
    }

    /** Replays the dead letters of one sink; answers how many were copied, from which topic to which. */
    @WriteOperation
    public synchronized Map<String, Object> replay(@Selector String sink) {
        String[] topics = sinks.get(sink);
        if (topics == null) {
            throw new IllegalArgumentException("unknown sink '" + sink + "'; known: " + sinks.keySet());
        }
        long copied = copy(topics[0], topics[1], groupPrefix + sink);
        LOG.info("Replayed {} dead letters from {} to {}", copied, topics[0], topics[1]);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sink", sink);
        answer.put("from", topics[0]);
        answer.put("to", topics[1]);
        answer.put("replayed", copied);
        return answer;
    }

    private long copy(String from, String to, String group) {
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
        long copied = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(from, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            byte[] replayedAt = Instant.now().toString().getBytes(StandardCharsets.UTF_8);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(10)) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(tp)) {
                        continue;
                    }
                    ProducerRecord<byte[], byte[]> copy = new ProducerRecord<>(to, null, record.key(), record.value(),
                            record.headers());
                    copy.headers().add("whatsapp-replayed-at", replayedAt);
                    producer.send(copy);
                    done.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    copied++;
                }
            }
            producer.flush();
            consumer.commitSync(done);
        }
        return copied;
    }
}
