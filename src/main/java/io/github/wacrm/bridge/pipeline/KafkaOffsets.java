package io.github.wacrm.bridge.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Commits the offsets of the records a route has finished with, on the consumer's own thread, after the work
 * (at-least-once). A batching sink commits only what it owns: Camel's batching consumer keeps the records it collected
 * across polls, also those of partitions a rebalance has since given to another member, and Kafka's coordinator checks
 * a commit's generation, not who owns the partition — a commit for a revoked partition would move the new owner's
 * offset back, or past records it has not written.
 */
@Component("kafkaOffsets")
public class KafkaOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOffsets.class);

    /**
     * Exchange property: the records of a batch this consumer owns ({@link #ownedRecords}), the ones the sink writes,
     * commits ({@link #commitBatch}) and, when the batch fails, writes fact by fact.
     */
    public static final String BATCH = "kafkaBatch";

    /** Exchange property: the record's commit handle, kept at the route's start (a step may replace the headers). */
    public static final String COMMIT_HANDLE = "kafkaCommitHandle";

    /** Exchange property: the committed offsets {@link #ownedRecords} read for its batch. */
    private static final String COMMITTED = "whatsappCommittedOffsets";

    private final Counter leftToNewOwner;

    public KafkaOffsets(MeterRegistry registry) {
        this.leftToNewOwner = Counter.builder("whatsapp.sink.records.revoked")
                .description("Records a sink had collected and left to their partition's new owner after a rebalance")
                .register(registry);
    }

    /** Commits the record of a route that consumes record by record. */
    public void commit(Exchange exchange) {
        Object handle = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT);
        manualCommit(handle != null ? handle : exchange.getProperty(COMMIT_HANDLE)).commit();
    }

    /**
     * Route step, first of a batching sink: the batch (a list of record exchanges) without the records this consumer
     * must not write — those of partitions it no longer owns, and those below their partition's committed offset (a
     * partition revoked and given back meanwhile: another member has written them). Answers the records to write,
     * and keeps them in the property {@link #BATCH}.
     */
    public List<Exchange> ownedRecords(Exchange exchange, List<Exchange> batch) {
        if (batch.isEmpty()) {
            exchange.setProperty(BATCH, batch);
            return batch;
        }
        Consumer<?, ?> consumer = consumer(batch);
        Set<TopicPartition> owned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions(batch, owned),
                Duration.ofMillis(commitTimeout(batch)));
        // for commitBatch: only this consumer moves these offsets while it owns them, so they need not be asked again
        exchange.setProperty(COMMITTED, committed);
        List<Exchange> mine = new ArrayList<>(batch.size());
        Set<String> seen = new java.util.HashSet<>();
        for (Exchange record : batch) {
            DefaultKafkaManualCommit commit = manualCommit(record.getMessage());
            OffsetAndMetadata done = committed.get(commit.getPartition());
            // a partition given back after a revocation is read again from its committed offset: each record once
            if (owned.contains(commit.getPartition()) && (done == null || commit.getRecordOffset() >= done.offset())
                    && seen.add(commit.getPartition() + "@" + commit.getRecordOffset())) {
                mine.add(record);
            }
        }
        exchange.setProperty(BATCH, mine);
        int left = batch.size() - mine.size();
        if (left > 0) {
            leftToNewOwner.increment(left);
            LOG.info("{} of {} collected records belong to partitions revoked since they were read (or were read twice); "
                    + "left to their owner", left, batch.size());
        }
        return mine;
    }

    /**
     * Commits a batch consumed with {@code batching=true} (the property {@link #BATCH}, the records kept by
     * {@link #ownedRecords}): one synchronous commit of each partition's last offset, for the partitions this consumer
     * still owns, and only where that moves the partition's committed offset forward.
     */
    public void commitBatch(Exchange exchange) {
        List<?> records = exchange.getProperty(BATCH, List.class);
        if (records == null) {
            throw new IllegalStateException("no " + BATCH + " property: the route's first step must be ownedRecords");
        }
        if (records.isEmpty()) {
            return;
        }
        List<Exchange> batch = records.stream().map(Exchange.class::cast).toList();
        Consumer<?, ?> consumer = consumer(batch);
        Set<TopicPartition> owned = consumer.assignment();
        Map<TopicPartition, Long> next = new HashMap<>();
        for (Exchange record : batch) {
            DefaultKafkaManualCommit commit = manualCommit(record.getMessage());
            if (owned.contains(commit.getPartition())) {
                next.merge(commit.getPartition(), commit.getRecordOffset() + 1, Math::max);
            }
        }
        Duration timeout = Duration.ofMillis(commitTimeout(batch));
        @SuppressWarnings("unchecked")
        Map<TopicPartition, OffsetAndMetadata> known = exchange.getProperty(COMMITTED, Map.class);
        Map<TopicPartition, OffsetAndMetadata> committed = known != null && known.keySet().containsAll(next.keySet())
                ? known : consumer.committed(next.keySet(), timeout);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((partition, offset) -> {
            OffsetAndMetadata done = committed.get(partition);
            if (done == null || offset > done.offset()) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets, timeout);
        }
    }

    private static Set<TopicPartition> partitions(List<Exchange> batch, Set<TopicPartition> owned) {
        Set<TopicPartition> partitions = new java.util.HashSet<>();
        for (Exchange record : batch) {
            TopicPartition partition = manualCommit(record.getMessage()).getPartition();
            if (owned.contains(partition)) {
                partitions.add(partition);
            }
        }
        return partitions;
    }

    private static Consumer<?, ?> consumer(List<Exchange> batch) {
        return manualCommit(batch.get(0).getMessage()).getConsumer();
    }

    private static long commitTimeout(List<Exchange> batch) {
        return manualCommit(batch.get(0).getMessage()).getCommitTimeout();
    }

    private static DefaultKafkaManualCommit manualCommit(Message message) {
        return manualCommit(message.getHeader(KafkaConstants.MANUAL_COMMIT));
    }

    private static DefaultKafkaManualCommit manualCommit(Object commit) {
        if (commit == null) {
            throw new IllegalStateException("no manual commit handle: the route's Kafka endpoint needs allowManualCommit=true");
        }
        if (!(commit instanceof DefaultKafkaManualCommit owned)) {
            throw new IllegalStateException("the route's kafkaManualCommitFactory must make Camel's default commits, not "
                    + commit.getClass().getName());
        }
        return owned;
    }
}
