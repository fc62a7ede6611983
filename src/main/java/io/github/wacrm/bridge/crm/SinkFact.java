package io.github.wacrm.bridge.crm;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * One fact of a CRM sink's batch, as read from Kafka: its position in the batch, its bytes (what a dead letter carries),
 * its origin and its key (the customer: a dead letter and its replay keep it), and what its event says when it could
 * be read.
 */
public record SinkFact(int index, byte[] original, String receivedAt, String kind, String topic, Integer partition,
        Long offset, String key) {

    /** The fact at {@code index} of a batch; {@code event} is null when its bytes could not be read. */
    public static SinkFact of(int index, Message record, CanonicalEvent event) {
        return new SinkFact(index, record.getBody(byte[].class), event == null ? null : event.receivedAt,
                event == null ? null : event.getKindName(), record.getHeader(KafkaConstants.TOPIC, String.class),
                record.getHeader(KafkaConstants.PARTITION, Integer.class),
                record.getHeader(KafkaConstants.OFFSET, Long.class), record.getHeader(KafkaConstants.KEY, String.class));
    }
}
