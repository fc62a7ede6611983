package io.github.wacrm.bridge.crm;

import java.util.List;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.pipeline.KafkaOffsets;

/**
 * A sink batch that failed for no known reason is written again fact by fact (the {@code crm-write-alone} route
 * template): each fact a batch of its own, so one bad fact is dead-lettered alone and its batch-mates are written.
 */
@Component("factByFact")
public class FactByFact {

    private final BatchDeadline deadline;

    public FactByFact(BatchDeadline deadline) {
        this.deadline = deadline;
    }

    /**
     * Body: one record exchange of a failed batch; makes it a batch of its own (body and {@link KafkaOffsets#BATCH}). The
     * facts share the batch's deadline, except the first, which gets one of its own: each round of a batch written
     * fact by fact writes (and commits) at least one fact, however much of the deadline the batch's tries had spent.
     */
    public void alone(Exchange exchange) {
        List<Exchange> single = List.of(exchange.getMessage().getBody(Exchange.class));
        exchange.setProperty(KafkaOffsets.BATCH, single);
        exchange.getMessage().setBody(single);
        if (exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class) == 0) {
            deadline.restart(exchange);
        }
    }

    /** In a doCatch: lets an outage through to the consuming route, which retries without committing. */
    public void rethrow(Exchange exchange) throws Exception {
        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }
}
