package io.github.wacrm.bridge.hubspot;

import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/** The HubSpot sink's settings and the circuit breaker its call route uses ({@code circuitBreaker: hubspotCircuitBreaker}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HubSpotProperties.class)
public class HubSpotConfiguration {

    /** One breaker for every HubSpot call of this pod, opened at once on a DAILY 429 or a refused token. */
    @Bean
    public CircuitBreaker hubspotCircuitBreaker(HubSpotProperties properties) {
        HubSpotProperties.Breaker b = properties.breaker();
        return CircuitBreaker.of("hubspot", CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .minimumNumberOfCalls(b.minimumNumberOfCalls())
                .slidingWindowSize(b.slidingWindowSize())
                .waitDurationInOpenState(Duration.ofMillis(b.waitDurationInOpenStateMs()))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    }
}
