package io.github.wacrm.bridge.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * What the router's routes by kind produce for one poll: the facts to audit and the records to publish (facts topic,
 * unhandled topic), collected while each fact goes its way and written together once the poll is through — one
 * batch insert of audit rows, one producer flush. Lives in the exchange property {@link #PROPERTY}, shared by the
 * split's exchanges.
 */
@Component("factsToPublish")
public class FactsToPublish {

    static final String PROPERTY = "whatsappFactsToPublish";

    /** One poll's facts to audit and records to publish. */
    public static final class Pending {
        private final List<CanonicalEvent> audited = new ArrayList<>();
        private final List<Message> records = new ArrayList<>();

        public List<CanonicalEvent> audited() {
            return audited;
        }

        public List<Message> records() {
            return records;
        }
    }

    /** Route step before the poll's facts are routed: an empty collection. */
    public void start(Exchange exchange) {
        exchange.setProperty(PROPERTY, new Pending());
    }

    /** Route step: the body, a fact, is to be recorded in the audit trail with the poll. */
    public void audit(Exchange exchange) {
        pending(exchange).audited.add(exchange.getMessage().getBody(CanonicalEvent.class));
    }

    /**
     * Route step: the body (the marshalled fact) is to be written with the poll, with its key ({@code kafka.KEY}) to
     * the topic in {@code kafka.OVERRIDE_TOPIC}.
     */
    public void add(Exchange exchange) {
        Message from = exchange.getMessage();
        Message record = new DefaultMessage(exchange.getContext());
        record.setBody(from.getBody(byte[].class));
        record.setHeader(KafkaConstants.KEY, from.getHeader(KafkaConstants.KEY));
        record.setHeader(KafkaConstants.OVERRIDE_TOPIC, from.getHeader(KafkaConstants.OVERRIDE_TOPIC));
        pending(exchange).records.add(record);
    }

    /** The poll's collection. */
    public Pending pending(Exchange exchange) {
        Pending pending = exchange.getProperty(PROPERTY, Pending.class);
        if (pending == null) {
            throw new IllegalStateException("no " + PROPERTY + " property: the poll's facts were not started");
        }
        return pending;
    }
}
