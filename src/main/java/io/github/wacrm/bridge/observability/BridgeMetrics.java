package io.github.wacrm.bridge.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.normalize.CanonicalEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The bridge's own Prometheus metrics, called as route steps. Meters are created once and cached: the intake path
 * runs thousands of times a second, and evaluating metric names per call is what made Camel's micrometer endpoints
 * cost a fifth of the intake's CPU.
 * <ul>
 *   <li>{@code whatsapp_webhooks_total{outcome}}: accepted, bad_signature, too_large, unavailable</li>
 *   <li>{@code whatsapp_intake_latency_seconds}: request arrival to answer, every outcome</li>
 *   <li>{@code whatsapp_events_total{kind}}: canonical events written by the normaliser</li>
 *   <li>{@code whatsapp_duplicates_skipped_total{kind}}: facts the idempotent consumer stopped</li>
 *   <li>{@code whatsapp_dead_letters_total{reason}}: records sent to the dead-letter topic</li>
 * </ul>
 */
@Component("bridgeMetrics")
public class BridgeMetrics {

    private static final String STARTED = "whatsapp.intake.startedNanos";

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter badSignature;
    private final Counter tooLarge;
    private final Counter unavailable;
    private final Timer intakeLatency;
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Map<String, Counter> duplicates = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = webhooks("accepted");
        this.badSignature = webhooks("bad_signature");
        this.tooLarge = webhooks("too_large");
        this.unavailable = webhooks("unavailable");
        this.intakeLatency = Timer.builder("whatsapp.intake.latency")
                .description("Time from a webhook request's arrival to its answer")
                .publishPercentileHistogram()
                .register(registry);
    }

    private Counter webhooks(String outcome) {
        return Counter.builder("whatsapp.webhooks").description("Webhook requests by outcome")
                .tag("outcome", outcome).register(registry);
    }

    public void intakeStarted(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
    }

    public void intakeFinished(Exchange exchange) {
        Long started = exchange.getProperty(STARTED, Long.class);
        if (started != null) {
            intakeLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    public void accepted() {
        accepted.increment();
    }

    public void badSignature() {
        badSignature.increment();
    }

    public void tooLarge() {
        tooLarge.increment();
    }

    public void unavailable() {
        unavailable.increment();
    }

    public void event(CanonicalEvent event) {
        byKind(events, "whatsapp.events", "Canonical events written, by kind", event).increment();
    }

    public void duplicate(CanonicalEvent event) {
        byKind(duplicates, "whatsapp.duplicates.skipped", "Facts stopped by the idempotent consumer, by kind", event)
                .increment();
    }

    public void deadLetter(@Header("whatsapp-dlq-reason") String reason) {
        String tag = reason == null ? "unknown" : reason;
        deadLetters.computeIfAbsent(tag, r -> Counter.builder("whatsapp.dead.letters")
                .description("Records sent to the dead-letter topic, by reason").tag("reason", r).register(registry))
                .increment();
    }

    private Counter byKind(Map<String, Counter> cache, String name, String description, CanonicalEvent event) {
        String kind = event == null || event.getKindName() == null ? "unknown" : event.getKindName();
        return cache.computeIfAbsent(kind, k -> Counter.builder(name).description(description).tag("kind", k)
                .register(registry));
    }
}
