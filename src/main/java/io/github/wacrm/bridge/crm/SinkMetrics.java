package io.github.wacrm.bridge.crm;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What every CRM sink reports, under its prefix ({@code salesforce}, {@code hubspot}): records by object and result,
 * facts skipped and dead-lettered by reason, facts per batch, webhook→CRM latency, and the breaker state. Counters
 * are cached: no registry lookup per record.
 */
public abstract class SinkMetrics {

    private final MeterRegistry registry;
    private final String prefix;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer latency;
    private final DistributionSummary batchFacts;

    protected SinkMetrics(MeterRegistry registry, String prefix, String crm, CircuitBreaker breaker) {
        this.registry = registry;
        this.prefix = prefix;
        BreakerSettings.registerStateGauge(registry, prefix + ".circuit.breaker.state", crm, breaker);
        this.latency = Timer.builder(prefix + ".sync.latency")
                .description("From webhook receipt to the fact written in " + crm)
                .publishPercentiles(0.5, 0.95, 0.99)
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        this.batchFacts = DistributionSummary.builder(prefix + ".batch.facts")
                .description("Facts per batch written to " + crm)
                .register(registry);
    }

    public void record(String object, String result) {
        record(object, result, 1);
    }

    public void record(String object, String result, int count) {
        if (count > 0) {
            counter("records", "object", object, "result", result).increment(count);
        }
    }

    public void skipped(String reason) {
        counter("facts.skipped", "reason", reason).increment();
    }

    public void deadLetter(String reason) {
        counter("dead.letters", "reason", reason).increment();
    }

    public void batch(int facts) {
        batchFacts.record(facts);
    }

    public void written(Duration sinceReceipt) {
        latency.record(sinceReceipt);
    }

    /** The counter {@code <prefix>.<name>} with these tags, registered once. */
    protected Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + "|" + String.join("|", tags),
                k -> Counter.builder(prefix + "." + name).tags(tags).register(registry));
    }
}
