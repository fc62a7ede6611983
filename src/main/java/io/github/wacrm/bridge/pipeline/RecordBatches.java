package io.github.wacrm.bridge.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * The polls of the pipeline's batch stages (the {@code kafka-batch-stage} route template): the records a poll holds
 * (property {@link KafkaOffsets#BATCH}, kept by {@link KafkaOffsets#ownedRecords}), read as events, and a failed
 * poll's records taken one at a time ({@link #alone}).
 */
@Component("recordBatches")
public class RecordBatches {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Body: one record exchange of a failed poll. It becomes this exchange's message (bytes and Kafka headers, for the
     * dead letter and the commit) and a poll of its own ({@link KafkaOffsets#BATCH}).
     */
    public void alone(Exchange exchange) {
        Exchange record = exchange.getMessage().getBody(Exchange.class);
        Message message = exchange.getMessage();
        message.setHeaders(new java.util.HashMap<>(record.getMessage().getHeaders()));
        message.setBody(record.getMessage().getBody());
        exchange.setProperty(KafkaOffsets.BATCH, List.of(record));
    }

    /** The poll's records read as canonical events, in order. A record that is not one fails the poll. */
    public List<CanonicalEvent> events(Exchange exchange) throws IOException {
        List<Exchange> records = records(exchange);
        List<CanonicalEvent> events = new ArrayList<>(records.size());
        for (Exchange record : records) {
            events.add(JSON.readValue(record.getMessage().getBody(byte[].class), CanonicalEvent.class));
        }
        return events;
    }

    /** The poll's records (exchanges), in order. */
    @SuppressWarnings("unchecked")
    public static List<Exchange> records(Exchange exchange) {
        List<Exchange> records = exchange.getProperty(KafkaOffsets.BATCH, List.class);
        if (records == null) {
            throw new IllegalStateException("no " + KafkaOffsets.BATCH + " property: the stage's first step must be ownedRecords");
        }
        return records;
    }
}
