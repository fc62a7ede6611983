package io.github.wacrm.bridge.normalize;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.intake.EnvelopeHints;
import io.github.wacrm.bridge.observability.BridgeMetrics;
import io.github.wacrm.bridge.pipeline.RecordBatches;

/**
 * The normaliser's work on one poll of the raw topic: every stored delivery split into its canonical events
 * ({@link WebhookNormalizer}), each a record for the events topic keyed by its customer, in the deliveries' order. A
 * delivery that is not a WhatsApp envelope fails the poll, which is then worked delivery by delivery and that one
 * dead-lettered with its reason.
 */
@Component("deliveryEvents")
public class DeliveryEvents {

    /** Header of each event record: its kind, for whoever reads the topic. */
    static final String KIND = "whatsapp-kind";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookNormalizer normalizer;
    private final BridgeMetrics metrics;

    public DeliveryEvents(WebhookNormalizer webhookNormalizer, BridgeMetrics metrics) {
        this.normalizer = webhookNormalizer;
        this.metrics = metrics;
    }

    /** Route step: the poll's events as records for the events topic. */
    public List<Message> events(Exchange exchange) throws JsonProcessingException {
        List<Message> records = new ArrayList<>();
        for (Exchange delivery : RecordBatches.records(exchange)) {
            Message stored = delivery.getMessage();
            List<CanonicalEvent> events = normalizer.normalize(stored.getBody(byte[].class),
                    stored.getHeader(EnvelopeHints.RECEIVED_AT, String.class));
            for (CanonicalEvent event : events) {
                Message record = new DefaultMessage(exchange.getContext());
                record.setHeader(KafkaConstants.KEY, event.partitionKey);
                record.setHeader(KIND, event.getKindName());
                record.setBody(JSON.writeValueAsBytes(event));
                metrics.event(event);
                records.add(record);
            }
        }
        return records;
    }
}
