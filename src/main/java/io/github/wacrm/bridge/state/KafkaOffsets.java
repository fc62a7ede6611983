package io.github.wacrm.bridge.state;

import org.apache.camel.Exchange;
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
}
