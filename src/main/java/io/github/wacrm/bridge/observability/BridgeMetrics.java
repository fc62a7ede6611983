package io.github.wacrm.bridge.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The pipeline's Prometheus metrics, called as route steps (the intake has {@link IntakeOutcome}). Meters are created
 * once and cached: evaluating metric names per call is what made Camel's micrometer endpoints cost a fifth of the
 * intake's CPU.
 * <ul>
 *   <li>{@code whatsapp_events_total{kind}}: canonical events written by the normaliser</li>
 *   <li>{@code whatsapp_duplicates_skipped_total{kind}}: facts the idempotent consumer stopped</li>
 *   <li>{@code whatsapp_dead_letters_total{reason}}: records sent to the dead-letter topic</li>
 * </ul>
 */
@Component("bridgeMetrics")
public class BridgeMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Map<String, Counter> duplicates = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
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
