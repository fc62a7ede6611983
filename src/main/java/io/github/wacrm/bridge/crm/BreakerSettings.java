package io.github.wacrm.bridge.crm;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The circuit breaker around a CRM ({@code whatsapp.<crm>.breaker.*}): it opens when {@code failureRateThreshold} %
 * of the last {@code slidingWindowSize} calls failed (after {@code minimumNumberOfCalls}), stays open
 * {@code waitDurationInOpenStateMs}, then lets one call through.
 */
public record BreakerSettings(int failureRateThreshold, int minimumNumberOfCalls, int slidingWindowSize,
        long waitDurationInOpenStateMs) {

    public static final BreakerSettings DEFAULTS = new BreakerSettings(50, 5, 20, 30_000);

    /** One breaker for every call of this pod to that CRM, shared as a bean so a sink can open it at once. */
    public CircuitBreaker build(String name) {
        return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRateThreshold)
                .minimumNumberOfCalls(minimumNumberOfCalls)
                .slidingWindowSize(slidingWindowSize)
                .waitDurationInOpenState(Duration.ofMillis(waitDurationInOpenStateMs))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    }

    /** {@code <metric>{state=closed|open|half_open|forced_open}}: 1 for the breaker's current state. */
    public static void registerStateGauge(MeterRegistry registry, String metric, String crm, CircuitBreaker breaker) {
        for (CircuitBreaker.State state : new CircuitBreaker.State[] {CircuitBreaker.State.CLOSED,
                CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.FORCED_OPEN}) {
            Gauge.builder(metric, breaker, b -> b.getState() == state ? 1 : 0)
                    .tag("state", state.name().toLowerCase())
                    .description("1 for the current state of the circuit breaker around " + crm)
                    .register(registry);
        }
    }
}
