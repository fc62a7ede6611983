package io.github.wacrm.bridge.salesforce;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the Salesforce sink reports: API calls by operation and outcome, records written by object and result, facts
 * per batch, webhook→Salesforce latency, the org's API usage from {@code Sforce-Limit-Info}, the breaker state, and an
 * alert counter when the daily request limit is reached. Meters are cached: no registry lookup per record.
 */
@Component
public class SalesforceMetrics {

    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong apiUsed = new AtomicLong(-1);
    private final AtomicLong apiLimit = new AtomicLong(-1);
    private final Counter limitExceeded;
    private final Timer latency;
    private final DistributionSummary batchFacts;

    public SalesforceMetrics(MeterRegistry registry, CircuitBreaker salesforceCircuitBreaker) {
        this.registry = registry;
        Gauge.builder("salesforce.api.usage", apiUsed, AtomicLong::get)
                .description("API requests used in the org's 24 h window, from Sforce-Limit-Info (-1: not seen yet)")
                .register(registry);
        Gauge.builder("salesforce.api.limit", apiLimit, AtomicLong::get)
                .description("The org's daily API request limit, from Sforce-Limit-Info (-1: not seen yet)")
                .register(registry);
        for (CircuitBreaker.State state : new CircuitBreaker.State[] {CircuitBreaker.State.CLOSED,
                CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.FORCED_OPEN}) {
            Gauge.builder("salesforce.circuit.breaker.state", salesforceCircuitBreaker,
                    b -> b.getState() == state ? 1 : 0)
                    .tag("state", state.name().toLowerCase())
                    .description("1 for the current state of the circuit breaker around Salesforce")
                    .register(registry);
        }
        this.limitExceeded = Counter.builder("salesforce.request.limit.exceeded")
                .description("ALERT: Salesforce answered REQUEST_LIMIT_EXCEEDED (daily API budget spent); the breaker opened")
                .register(registry);
        this.latency = Timer.builder("salesforce.sync.latency")
                .description("From webhook receipt to the fact written in Salesforce")
                .publishPercentiles(0.5, 0.95, 0.99)
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        this.batchFacts = DistributionSummary.builder("salesforce.batch.facts")
                .description("Facts per batch written to Salesforce")
                .register(registry);
    }

    public void call(String operation, String outcome) {
        counter("salesforce.api.calls", "operation", operation, "outcome", outcome).increment();
    }

    public void record(String object, String result) {
        counter("salesforce.records", "object", object, "result", result).increment();
    }

    public void skipped(String reason) {
        counter("salesforce.facts.skipped", "reason", reason).increment();
    }

    public void deadLetter(String reason) {
        counter("salesforce.dead.letters", "reason", reason).increment();
    }

    public void limitExceeded() {
        limitExceeded.increment();
    }

    public void batch(int facts) {
        batchFacts.record(facts);
    }

    public void written(Duration sinceReceipt) {
        latency.record(sinceReceipt);
    }

    /** Reads {@code Sforce-Limit-Info: api-usage=N/M}. */
    public void limitInfo(String header) {
        if (header == null) {
            return;
        }
        Matcher m = API_USAGE.matcher(header);
        if (m.find()) {
            apiUsed.set(Long.parseLong(m.group(1)));
            apiLimit.set(Long.parseLong(m.group(2)));
        }
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join("|", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
