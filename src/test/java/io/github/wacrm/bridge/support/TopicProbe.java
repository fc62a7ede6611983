package io.github.wacrm.bridge.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what arrives on a topic after the probe was opened. Open it before acting, then {@link #await} the records
 * the action should produce.
 */
public final class TopicProbe implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    private TopicProbe(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, DevServices.get().kafkaBrokers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        ends.forEach(consumer::seek);
    }

    public static TopicProbe open(String topic) {
        return new TopicProbe(topic);
    }

    /** Waits until {@code count} records matching {@code filter} arrived, and returns them (in arrival order). */
    public List<ConsumerRecord<String, byte[]>> await(Predicate<ConsumerRecord<String, byte[]>> filter, int count,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<String, byte[]>> matching = matching(filter);
            if (matching.size() >= count) {
                return matching;
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return matching(filter);
    }

    /**
     * Waits until the records seen name every one of {@code expected} (by {@code key}; a record may come twice, as a
     * poll worked again writes its records again), and returns those that do.
     */
    public List<ConsumerRecord<String, byte[]>> awaitEach(java.util.function.Function<ConsumerRecord<String, byte[]>, String> key,
            java.util.Collection<String> expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (matching(r -> expected.contains(key.apply(r))).stream().map(key).collect(java.util.stream.Collectors.toSet())
                    .containsAll(expected)) {
                break;
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return matching(r -> expected.contains(key.apply(r)));
    }

    /** Everything matching {@code filter} seen within {@code quiet}: used to show that nothing more arrives. */
    public List<ConsumerRecord<String, byte[]>> settle(Predicate<ConsumerRecord<String, byte[]>> filter, Duration quiet) {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return matching(filter);
    }

    private List<ConsumerRecord<String, byte[]>> matching(Predicate<ConsumerRecord<String, byte[]>> filter) {
        return seen.stream().filter(filter).toList();
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
