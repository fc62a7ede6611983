package io.github.wacrm.bridge.failure;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.pipeline.KafkaOffsets;

/**
 * The records of the consuming routes (normaliser, router) as they came from Kafka, for their dead letters: each route
 * keeps its record first ({@link #keepOriginal}; later steps change its body and key), and a record that failed for
 * good becomes a {@link FailedRecord} with the reason {@link FailureClassification} gives its failure.
 */
@Component("failedRecords")
public class FailedRecords {

    public static final String ORIGINAL_RECORD = "originalRecord";
    private static final String ORIGINAL_KEY = "originalKey";
    private static final String ORIGINAL_TOPIC = "originalTopic";
    private static final String ORIGINAL_PARTITION = "originalPartition";
    private static final String ORIGINAL_OFFSET = "originalOffset";

    private final FailureClassification classification;

    public FailedRecords(FailureClassification classification) {
        this.classification = classification;
    }

    /**
     * First step of a consuming route: keeps the record's bytes, key, where it was read and its commit handle. A step
     * that replaces the message's headers (an HTTP call whose answer broke off) then leaves the dead letter and the
     * commit ({@link KafkaOffsets#COMMIT_HANDLE}) what they need.
     */
    public void keepOriginal(Exchange exchange) {
        Message message = exchange.getMessage();
        exchange.setProperty(ORIGINAL_RECORD, message.getBody());
        exchange.setProperty(ORIGINAL_KEY, message.getHeader(KafkaConstants.KEY));
        exchange.setProperty(ORIGINAL_TOPIC, message.getHeader(KafkaConstants.TOPIC));
        exchange.setProperty(ORIGINAL_PARTITION, message.getHeader(KafkaConstants.PARTITION));
        exchange.setProperty(ORIGINAL_OFFSET, message.getHeader(KafkaConstants.OFFSET));
        exchange.setProperty(KafkaOffsets.COMMIT_HANDLE, message.getHeader(KafkaConstants.MANUAL_COMMIT));
    }

    /** The dead letter of the exchange's record: as it was kept, the reason of its failure, where it was read. */
    public FailedRecord deadLetter(Exchange exchange) {
        Throwable failure = FailureClassification.failure(exchange);
        Message message = exchange.getMessage();
        return new FailedRecord(exchange.getProperty(ORIGINAL_RECORD, byte[].class),
                exchange.getProperty(ORIGINAL_KEY, String.class), classification.reason(failure),
                classification.detail(failure), kept(exchange, KafkaConstants.TOPIC, ORIGINAL_TOPIC, String.class),
                kept(exchange, KafkaConstants.PARTITION, ORIGINAL_PARTITION, Integer.class),
                kept(exchange, KafkaConstants.OFFSET, ORIGINAL_OFFSET, Long.class));
    }

    private static <T> T kept(Exchange exchange, String header, String property, Class<T> type) {
        T value = exchange.getMessage().getHeader(header, type);
        return value != null ? value : exchange.getProperty(property, type);
    }
}
