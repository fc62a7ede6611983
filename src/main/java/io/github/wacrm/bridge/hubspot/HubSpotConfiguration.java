package io.github.wacrm.bridge.hubspot;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/** The HubSpot sink's settings and the circuit breaker its call route uses ({@code circuitBreaker: hubspotCircuitBreaker}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HubSpotProperties.class)
public class HubSpotConfiguration {

    /**
     * The HTTP client of camel-http without its automatic retries ({@code camel.component.http.http-client-configurer}).
     * Apache HttpClient 5 would otherwise send a POST again by itself after a 429 or 503, outside the request budget and
     * unseen by the call route, which already waits out 429s and backs off on 5xx itself.
     */
    @Bean
    public HttpClientConfigurer hubspotHttpClient() {
        return HttpClientBuilder::disableAutomaticRetries;
    }

    /** One breaker for every HubSpot call of this pod, opened at once on a DAILY 429 or a refused token. */
    @Bean
    public CircuitBreaker hubspotCircuitBreaker(HubSpotProperties properties) {
        return properties.breaker().build("hubspot");
    }
}
