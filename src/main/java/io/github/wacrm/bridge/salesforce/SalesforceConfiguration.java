package io.github.wacrm.bridge.salesforce;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** The Salesforce sink's settings and the circuit breaker its route uses ({@code circuitBreaker: salesforceCircuitBreaker}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SalesforceProperties.class)
public class SalesforceConfiguration {

    /**
     * One breaker for every Salesforce call of this pod. Shared as a bean (not built by the route) so the sink can open
     * it at once on REQUEST_LIMIT_EXCEEDED and the metrics can read its state.
     */
    @Bean
    public CircuitBreaker salesforceCircuitBreaker(SalesforceProperties properties) {
        return properties.breaker().build("salesforce");
    }
}
