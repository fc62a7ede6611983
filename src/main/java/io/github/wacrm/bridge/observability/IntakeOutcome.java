package io.github.wacrm.bridge.observability;

import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.intake.WebhookRefusals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Last step of every webhook request: counts {@code whatsapp_webhooks_total{outcome}} from the status about to be
 * answered (200 accepted, 401 bad_signature, 413 too_large, 503 unavailable, others other) and records
 * {@code whatsapp_intake_latency_seconds} from the request's arrival; a 401 or 413 is also counted for the
 * governance audit's refusals per minute ({@link WebhookRefusals}). Meters are created once: this runs thousands
 * of times a second.
 */
@Component("intakeOutcome")
public class IntakeOutcome implements Processor {

    private final Counter accepted;
    private final Counter badSignature;
    private final Counter tooLarge;
    private final Counter unavailable;
    private final Counter other;
    private final Timer latency;
    private final WebhookRefusals refusals;

    public IntakeOutcome(MeterRegistry registry, WebhookRefusals refusals) {
        this.refusals = refusals;
        this.accepted = outcome(registry, "accepted");
        this.badSignature = outcome(registry, "bad_signature");
        this.tooLarge = outcome(registry, "too_large");
        this.unavailable = outcome(registry, "unavailable");
        this.other = outcome(registry, "other");
        this.latency = Timer.builder("whatsapp.intake.latency")
                .description("Time from a webhook POST's arrival to its answer")
                .publishPercentileHistogram()
                .register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("whatsapp.webhooks").description("Webhook POSTs by outcome")
                .tag("outcome", outcome).register(registry);
    }

    @Override
    public void process(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int answered = status == null ? 200 : status;
        counter(answered).increment();
        if (answered == 401) {
            refusals.refused(WebhookRefusals.BAD_SIGNATURE);
        } else if (answered == 413) {
            refusals.refused(WebhookRefusals.TOO_LARGE);
        }
        latency.record(exchange.getClock().elapsed(), TimeUnit.MILLISECONDS);
    }

    private Counter counter(int status) {
        return switch (status) {
            case 200 -> accepted;
            case 401 -> badSignature;
            case 413 -> tooLarge;
            case 503 -> unavailable;
            default -> other;
        };
    }
}
