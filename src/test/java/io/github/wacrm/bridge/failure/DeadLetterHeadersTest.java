package io.github.wacrm.bridge.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    private final DeadLetterHeaders headers = new DeadLetterHeaders();
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void theBridgesOwnHeadersAreWritten() {
        assertThat(headers.applyFilterToCamelHeaders("whatsapp-dlq-reason", "too_large", exchange)).isFalse();
        assertThat(headers.applyFilterToCamelHeaders("whatsapp-received-at", "2026-12-02T00:00:00Z", exchange)).isFalse();
    }

    @Test
    void whatARouteMetOnTheWayIsNot() {
        assertThat(headers.applyFilterToCamelHeaders("Authorization", "Bearer pat-secret", exchange)).isTrue();
        assertThat(headers.applyFilterToCamelHeaders("kafka.TOPIC", "whatsapp.facts", exchange)).isTrue();
        assertThat(headers.applyFilterToCamelHeaders("CamelHttpResponseCode", 200, exchange)).isTrue();
        assertThat(headers.applyFilterToCamelHeaders("eventKind", "message", exchange)).isTrue();
        assertThat(headers.applyFilterToCamelHeaders("whatsapp-dlq-detail", null, exchange)).isTrue();
    }
}
