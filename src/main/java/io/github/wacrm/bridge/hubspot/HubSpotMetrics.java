package io.github.wacrm.bridge.hubspot;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.wacrm.bridge.crm.SinkMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the HubSpot sink reports: calls by endpoint and outcome, records by object and result, rate-limit headroom
 * (HubSpot's headers) and the time spent waiting for the client-side budget, the breaker state, facts per batch,
 * webhook→HubSpot latency, and an alert counter when the portal's daily limit is spent.
 */
@Component
public class HubSpotMetrics extends SinkMetrics {

    private final AtomicLong remaining = new AtomicLong(-1);
    private final AtomicLong max = new AtomicLong(-1);
    private final AtomicLong dailyRemaining = new AtomicLong(-1);
    private final AtomicLong daily = new AtomicLong(-1);
    private final Counter dailyLimitReached;
    private final Timer rateLimitWaits;

    public HubSpotMetrics(MeterRegistry registry, CircuitBreaker hubspotCircuitBreaker) {
        super(registry, "hubspot", "HubSpot", hubspotCircuitBreaker);
        gauge(registry, "hubspot.ratelimit.remaining", remaining, "Requests left in HubSpot's rolling window, from "
                + "X-HubSpot-RateLimit-Remaining");
        gauge(registry, "hubspot.ratelimit.max", max, "The portal's requests per window, from X-HubSpot-RateLimit-Max");
        gauge(registry, "hubspot.ratelimit.daily.remaining", dailyRemaining, "Requests left today, from "
                + "X-HubSpot-RateLimit-Daily-Remaining");
        gauge(registry, "hubspot.ratelimit.daily", daily, "The portal's daily request limit, from X-HubSpot-RateLimit-Daily");
        this.dailyLimitReached = Counter.builder("hubspot.daily.limit.reached")
                .description("ALERT: HubSpot answered 429 DAILY (the portal's daily budget is spent); the breaker opened")
                .register(registry);
        this.rateLimitWaits = Timer.builder("hubspot.ratelimiter.wait")
                .description("Time calls waited for the client-side HubSpot request budget")
                .register(registry);
    }

    public void call(String endpoint, String outcome) {
        counter("api.calls", "endpoint", endpoint, "outcome", outcome).increment();
    }

    public void dailyLimitReached() {
        dailyLimitReached.increment();
    }

    public void rateLimitWait(long millis) {
        rateLimitWaits.record(Duration.ofMillis(millis));
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

    private static void gauge(MeterRegistry registry, String name, AtomicLong value, String description) {
        Gauge.builder(name, value, AtomicLong::get).description(description + " (-1: not seen yet)").register(registry);
    }
}
