package io.github.wacrm.bridge.pipeline;

import org.apache.camel.Ordered;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The largest Kafka record the bridge ever writes, derived from the one setting that bounds what enters it: the
 * intake's {@code whatsapp.webhook.max-body-bytes} plus {@code whatsapp.kafka.record-headroom-bytes} for the record's
 * key, headers (a dead letter's reason and origin) and framing. Every producer's {@code max.request.size} is set to it
 * (the Kafka component's default, below), and {@link BridgeTopics} makes sure every topic's
 * {@code max.message.bytes} takes it, so a delivery answered 200 always fits wherever the pipeline writes it.
 */
@Configuration(proxyBeanMethods = false)
public class RecordSizeLimit {

    private final int maxRecordBytes;

    public RecordSizeLimit(@Value("${whatsapp.webhook.max-body-bytes}") int maxBodyBytes,
            @Value("${whatsapp.kafka.record-headroom-bytes:65536}") int headroomBytes) {
        if (maxBodyBytes <= 0 || headroomBytes < 0) {
            throw new IllegalArgumentException("whatsapp.webhook.max-body-bytes must be positive and "
                    + "whatsapp.kafka.record-headroom-bytes not negative");
        }
        this.maxRecordBytes = Math.addExact(maxBodyBytes, headroomBytes);
    }

    /** Bytes: what every producer may send and every topic must accept. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * The Kafka component's default {@code max.request.size}, inherited by every producer endpoint of the routes.
     * Applied last, after the starter has bound {@code camel.component.kafka.*} (whose default it replaces).
     */
    @Bean
    ComponentCustomizer kafkaRecordSize() {
        return ComponentCustomizer.builder(KafkaComponent.class).withOrder(Ordered.LOWEST)
                .build(kafka -> kafka.getConfiguration().setMaxRequestSize(maxRecordBytes));
    }
}
