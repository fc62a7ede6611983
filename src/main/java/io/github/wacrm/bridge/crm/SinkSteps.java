package io.github.wacrm.bridge.crm;

import java.util.List;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Route steps every CRM sink shares ({@code crmSink} in the sink routes). */
@Component("crmSink")
public class SinkSteps {

    /** Body: one record exchange of a failed batch; makes it a batch of its own (body and {@code kafkaBatch}). */
    public void alone(Exchange exchange) {
        List<Exchange> single = List.of(exchange.getMessage().getBody(Exchange.class));
        exchange.setProperty("kafkaBatch", single);
        exchange.getMessage().setBody(single);
    }

    /** In a doCatch: lets an outage through to the consuming route, which retries without committing. */
    public void rethrow(Exchange exchange) throws Exception {
        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }
}
