package io.github.wacrm.bridge.failure;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * The headers a dead-letter record carries: the bridge's own ({@code whatsapp-*}: the reason and origin the
 * {@code dead-letter} route template sets, and those the record was read with, such as {@code whatsapp-received-at}),
 * nothing else. A failed exchange carries whatever its route met on the way — Kafka's consumer headers, a CRM call's
 * headers (an {@code Authorization} among them) — and none of that belongs on a topic.
 */
@Component("deadLetterHeaders")
public class DeadLetterHeaders implements HeaderFilterStrategy {

    static final String KEPT_PREFIX = "whatsapp-";

    /** true: the header is not written to the dead-letter record. */
    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return headerName == null || !headerName.startsWith(KEPT_PREFIX) || headerValue == null;
    }

    /** Dead-letter topics are only written to; nothing is read through this strategy. */
    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return false;
    }
}
