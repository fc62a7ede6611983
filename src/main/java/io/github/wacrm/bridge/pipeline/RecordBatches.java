package io.github.wacrm.bridge.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
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

    /** Exchange property of a poll worked record by record: the failure that stopped it, once one did. */
    static final String STOPPED_BY = "whatsappPollStoppedBy";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Body: one record exchange of a failed poll. It becomes this exchange's message (bytes and Kafka headers, for the
     * dead letter and the commit) and a poll of its own ({@link KafkaOffsets#BATCH}).
     */
    public void alone(Exchange exchange) {
        // a record that fails for good unhandled (an outage outlasting its retries) stops the poll's later records
        @SuppressWarnings("unchecked")
        AtomicReference<Exception> stoppedBy = exchange.getProperty(STOPPED_BY, AtomicReference.class);
        if (stoppedBy != null) {
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onFailure(Exchange failed) {
                    stoppedBy.compareAndSet(null, failed.getException());
                }
            });
        }
        Exchange record = exchange.getMessage().getBody(Exchange.class);
        Message message = exchange.getMessage();
        message.setHeaders(new java.util.HashMap<>(record.getMessage().getHeaders()));
        message.setBody(record.getMessage().getBody());
        exchange.setProperty(KafkaOffsets.BATCH, List.of(record));
    }

    /**
     * Before a failed poll is worked record by record: nothing has stopped it yet. The split's exchanges share what
     * this sets, so a record that fails unhandled keeps the ones after it from being worked and committed.
     */
    public void startOneByOne(Exchange exchange) {
        exchange.setProperty(STOPPED_BY, new AtomicReference<Exception>());
    }

    /** Whether the poll worked record by record goes on: no earlier record of it failed unhandled. */
    public boolean goesOn(Exchange exchange) {
        AtomicReference<?> stoppedBy = exchange.getProperty(STOPPED_BY, AtomicReference.class);
        return stoppedBy == null || stoppedBy.get() == null;
    }

    /**
     * After the poll was worked record by record: the failure that stopped it, thrown, so nothing past that record is
     * committed (the poll is read again from it); nothing when every record was written or dead-lettered.
     */
    public void rethrowIfStopped(Exchange exchange) throws Exception {
        AtomicReference<?> stoppedBy = exchange.getProperty(STOPPED_BY, AtomicReference.class);
        Object failure = stoppedBy == null ? null : stoppedBy.get();
        if (failure instanceof Exception e) {
            throw e;
        }
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
