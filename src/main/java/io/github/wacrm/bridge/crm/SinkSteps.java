package io.github.wacrm.bridge.crm;

import java.util.List;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Route steps every CRM sink shares ({@code crmSink} in the sink routes). */
@Component("crmSink")
public class SinkSteps {

    private final BatchDeadline deadline;

    public SinkSteps(BatchDeadline deadline) {
        this.deadline = deadline;
    }

    /**
     * Body: one record exchange of a failed batch; makes it a batch of its own (body and {@code kafkaBatch}). The
     * facts share the batch's deadline, except the first, which gets one of its own: each round of a batch written
     * fact by fact writes (and commits) at least one fact, however much of the deadline the batch's tries had spent.
     */
    public void alone(Exchange exchange) {
        List<Exchange> single = List.of(exchange.getMessage().getBody(Exchange.class));
        exchange.setProperty("kafkaBatch", single);
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
