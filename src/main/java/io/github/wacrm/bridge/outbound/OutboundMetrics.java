package io.github.wacrm.bridge.outbound;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the reverse routes did: {@code whatsapp_outbound_requests_total{outcome}} (accepted, refused, sent, retried,
 * failed, in_doubt, already_taken), {@code whatsapp_outbound_refusals_total{reason}},
 * {@code whatsapp_outbound_token_refused_total}, the alert that the access token must be replaced (one token for every
 * number: registered at start, so the alert sees it move from 0), and {@code whatsapp_template_messages_total{template,
 * status}}: the outbound template messages that reached sent, delivered, read or failed (a read whose delivered status
 * never came counts as delivered too), for the delivery and read rate per template.
 */
@Component("outboundMetrics")
public class OutboundMetrics {

    private final MeterRegistry registry;
    private final Counter tokenRefused;

    public OutboundMetrics(MeterRegistry registry) {
        this.registry = registry;
        tokenRefused = Counter.builder("whatsapp.outbound.token.refused")
                .description("Sends refused because the WhatsApp access token was refused (190): replace the token")
                .register(registry);
        outcome("accepted", 0);
        outcome("refused", 0);
    }

    private void outcome(String outcome, double by) {
        Counter.builder("whatsapp.outbound.requests").description("Outbound requests by what became of them")
                .tag("outcome", outcome).register(registry).increment(by);
    }

    public void outcome(String outcome) {
        outcome(outcome, 1);
    }

    public void refused(String reason) {
        outcome("refused");
        Counter.builder("whatsapp.outbound.refusals").description("Outbound requests refused by the checks, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public void tokenRefused() {
        tokenRefused.increment();
    }

    /** A template message of the bridge reached {@code status} (sent, delivered, read, failed). */
    public void templateMessage(String template, String status) {
        if (template != null) {
            Counter.builder("whatsapp.template.messages")
                    .description("Outbound template messages by template and the status they reached")
                    .tag("template", template).tag("status", status).register(registry).increment();
        }
    }
}
