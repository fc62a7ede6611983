package io.github.wacrm.bridge.failure;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * The records of the consuming routes (normaliser, router) as they came from Kafka, for their dead letters: each route
 * keeps its record first ({@link #keepOriginal}; later steps change its body and key), and a record that failed for
 * good becomes a {@link FailedRecord} with the reason {@link FailureClassification} gives its failure.
 */
@Component("failedRecords")
public class FailedRecords {

    private static final String ORIGINAL_RECORD = "originalRecord";
    private static final String ORIGINAL_KEY = "originalKey";

    private final FailureClassification classification;

    public FailedRecords(FailureClassification classification) {
        this.classification = classification;
    }

    /** First step of a consuming route: keeps the record's bytes and key. */
    public void keepOriginal(Exchange exchange) {
        exchange.setProperty(ORIGINAL_RECORD, exchange.getMessage().getBody());
        exchange.setProperty(ORIGINAL_KEY, exchange.getMessage().getHeader(KafkaConstants.KEY));
    }

    /** The dead letter of the exchange's record: as it was kept, the reason of its failure, where it was read. */
    public FailedRecord deadLetter(Exchange exchange) {
        Throwable failure = FailureClassification.failure(exchange);
        Message message = exchange.getMessage();
        return new FailedRecord(exchange.getProperty(ORIGINAL_RECORD, byte[].class),
                exchange.getProperty(ORIGINAL_KEY, String.class), classification.reason(failure),
                classification.detail(failure), message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, Long.class));
    }
}
