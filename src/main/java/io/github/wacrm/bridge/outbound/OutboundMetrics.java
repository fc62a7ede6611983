package io.github.wacrm.bridge.outbound;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the reverse routes did: {@code whatsapp_outbound_requests_total{outcome}} (accepted, refused, sent, retried,
 * failed, in_doubt, already_taken), {@code whatsapp_outbound_refusals_total{reason}}, and
 * {@code whatsapp_outbound_token_refused_total{phone_number_id}}, the alert that the access token must be replaced.
 */
@Component("outboundMetrics")
public class OutboundMetrics {

    private final MeterRegistry registry;

    public OutboundMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void outcome(String outcome) {
        Counter.builder("whatsapp.outbound.requests").description("Outbound requests by what became of them")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void refused(String reason) {
        outcome("refused");
        Counter.builder("whatsapp.outbound.refusals").description("Outbound requests refused by the checks, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public void tokenRefused(String phoneNumberId) {
        Counter.builder("whatsapp.outbound.token.refused")
                .description("Sends refused because the WhatsApp access token was refused (190): replace the token")
                .tag("phone_number_id", phoneNumberId).register(registry).increment();
    }
}
