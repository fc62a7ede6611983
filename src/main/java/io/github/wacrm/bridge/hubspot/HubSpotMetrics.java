package io.github.wacrm.bridge.hubspot;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the HubSpot sink reports: calls by endpoint and outcome, records by object and result, rate-limit headroom
 * (HubSpot's headers) and the time spent waiting for the client-side budget, the breaker state, facts per batch,
 * webhook→HubSpot latency, and an alert counter when the portal's daily limit is spent.
 */
@Component
public class HubSpotMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong remaining = new AtomicLong(-1);
    private final AtomicLong max = new AtomicLong(-1);
    private final AtomicLong dailyRemaining = new AtomicLong(-1);
    private final AtomicLong daily = new AtomicLong(-1);
    private final Counter dailyLimitReached;
    private final Timer rateLimitWaits;
    private final Timer latency;
    private final DistributionSummary batchFacts;

    public HubSpotMetrics(MeterRegistry registry, CircuitBreaker hubspotCircuitBreaker) {
        this.registry = registry;
        Gauge.builder("hubspot.ratelimit.remaining", remaining, AtomicLong::get)
                .description("Requests left in HubSpot's rolling window, from X-HubSpot-RateLimit-Remaining (-1: not seen yet)")
                .register(registry);
        Gauge.builder("hubspot.ratelimit.max", max, AtomicLong::get)
                .description("The portal's requests per window, from X-HubSpot-RateLimit-Max (-1: not seen yet)")
                .register(registry);
        Gauge.builder("hubspot.ratelimit.daily.remaining", dailyRemaining, AtomicLong::get)
                .description("Requests left today, from X-HubSpot-RateLimit-Daily-Remaining (-1: not seen yet)")
                .register(registry);
        Gauge.builder("hubspot.ratelimit.daily", daily, AtomicLong::get)
                .description("The portal's daily request limit, from X-HubSpot-RateLimit-Daily (-1: not seen yet)")
                .register(registry);
        for (CircuitBreaker.State state : new CircuitBreaker.State[] {CircuitBreaker.State.CLOSED,
                CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.FORCED_OPEN}) {
            Gauge.builder("hubspot.circuit.breaker.state", hubspotCircuitBreaker, b -> b.getState() == state ? 1 : 0)
                    .tag("state", state.name().toLowerCase())
                    .description("1 for the current state of the circuit breaker around HubSpot")
                    .register(registry);
        }
        this.dailyLimitReached = Counter.builder("hubspot.daily.limit.reached")
                .description("ALERT: HubSpot answered 429 DAILY (the portal's daily budget is spent); the breaker opened")
                .register(registry);
        this.rateLimitWaits = Timer.builder("hubspot.ratelimiter.wait")
                .description("Time calls waited for the client-side HubSpot request budget")
                .register(registry);
        this.latency = Timer.builder("hubspot.sync.latency")
                .description("From webhook receipt to the fact written in HubSpot")
                .publishPercentiles(0.5, 0.95, 0.99)
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        this.batchFacts = DistributionSummary.builder("hubspot.batch.facts")
                .description("Facts per batch written to HubSpot")
                .register(registry);
    }

    public void call(String endpoint, String outcome) {
        counter("hubspot.api.calls", "endpoint", endpoint, "outcome", outcome).increment();
    }

    public void record(String objectType, String result) {
        counter("hubspot.records", "object", objectType, "result", result).increment();
    }

    public void record(String objectType, String result, int count) {
        if (count > 0) {
            counter("hubspot.records", "object", objectType, "result", result).increment(count);
        }
    }

    public void skipped(String reason) {
        counter("hubspot.facts.skipped", "reason", reason).increment();
    }

    public void deadLetter(String reason) {
        counter("hubspot.dead.letters", "reason", reason).increment();
    }

    public void dailyLimitReached() {
        dailyLimitReached.increment();
    }

    public void rateLimitWait(long millis) {
        rateLimitWaits.record(Duration.ofMillis(millis));
    }

    public void batch(int facts) {
        batchFacts.record(facts);
    }

    public void written(Duration sinceReceipt) {
        latency.record(sinceReceipt);
    }

    public void headroom(Long remainingNow, Long maxNow, Long dailyRemainingNow, Long dailyNow) {
        set(remaining, remainingNow);
        set(max, maxNow);
        set(dailyRemaining, dailyRemainingNow);
        set(daily, dailyNow);
    }

    private static void set(AtomicLong gauge, Long value) {
        if (value != null) {
            gauge.set(value);
        }
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + String.join("|", tags),
                k -> Counter.builder(name).tags(tags).register(registry));
    }
}
