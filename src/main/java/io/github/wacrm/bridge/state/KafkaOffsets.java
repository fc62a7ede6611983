package io.github.wacrm.bridge.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * Commits the offset of the record a route has finished with. Called as the last step of every Kafka-consuming
 * route, on the consumer thread, so a record is committed only after its work is done (at-least-once).
 */
@Component("kafkaOffsets")
public class KafkaOffsets {

    public void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("no manual commit handle: the route's Kafka endpoint needs allowManualCommit=true");
        }
        commit.commit();
    }

    /**
     * Commits a batch consumed with {@code batching=true}: the last record of each partition in the batch (the
     * property {@code kafkaBatch}, the list of record exchanges). The route's consumer must use the synchronous
     * manual commit factory: in batching mode Camel never flushes offsets recorded by the asynchronous one.
     */
    public void commitBatch(Exchange exchange) {
        List<?> records = exchange.getProperty("kafkaBatch", List.class);
        if (records == null) {
            throw new IllegalStateException("no kafkaBatch property: the route must keep its batch of records");
        }
        Map<String, KafkaManualCommit> lastPerPartition = new LinkedHashMap<>();
        for (Object record : records) {
            Message message = ((Exchange) record).getMessage();
            KafkaManualCommit commit = message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit == null) {
                throw new IllegalStateException("no manual commit handle: the route's Kafka endpoint needs allowManualCommit=true");
            }
            lastPerPartition.put(message.getHeader(KafkaConstants.TOPIC) + "-" + message.getHeader(KafkaConstants.PARTITION),
                    commit);
        }
        lastPerPartition.values().forEach(KafkaManualCommit::commit);
    }
}
