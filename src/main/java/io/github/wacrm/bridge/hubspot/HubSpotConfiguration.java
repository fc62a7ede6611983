package io.github.wacrm.bridge.hubspot;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** The HubSpot sink's settings and the circuit breaker its call route uses ({@code circuitBreaker: hubspotCircuitBreaker}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HubSpotProperties.class)
public class HubSpotConfiguration {

    /** One breaker for every HubSpot call of this pod, opened at once on a DAILY 429 or a refused token. */
    @Bean
    public CircuitBreaker hubspotCircuitBreaker(HubSpotProperties properties) {
        return properties.breaker().build("hubspot");
    }
}
