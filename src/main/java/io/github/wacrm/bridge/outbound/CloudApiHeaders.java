package io.github.wacrm.bridge.outbound;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * Which headers of a send's exchange reach the Cloud API: only the token and the content type. The exchange keeps
 * its Kafka headers (the commit handle, partition, offset, the recipient's key) for after the call, and none of them
 * is ever sent to Meta.
 */
@Component("cloudApiHeaders")
public class CloudApiHeaders implements HeaderFilterStrategy {

    private static final Set<String> SENT = Set.of("authorization", "content-type");

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !SENT.contains(name.toLowerCase());
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return false;
    }
}
