package io.github.wacrm.bridge.state;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.micrometer.core.instrument.MeterRegistry;

/** Shared state of every replica, in PostgreSQL. */
@Configuration(proxyBeanMethods = false)
public class StateConfiguration {

    @Bean
    public ReplicaPresence replicaPresence(JdbcTemplate jdbc, @Value("${HOSTNAME:}") String host,
            @Value("${whatsapp.idempotency.replica-heartbeat-ms:5000}") long beatMillis) {
        return new ReplicaPresence(jdbc, host, beatMillis);
    }

    /**
     * The claims of every fact the bridge let through (referenced as {@code #eventIdempotencyRepository}). The lease
     * must outlast a stalled owner: the consumer's poll interval (after which Kafka gives its partition to another
     * member) plus the producer's delivery timeout (how long a send it started can still land).
     */
    @Bean
    public FactClaims eventIdempotencyRepository(DataSource dataSource, ReplicaPresence replica, MeterRegistry registry,
            @Value("${whatsapp.idempotency.processor-name:whatsapp-events}") String processorName,
            @Value("${whatsapp.idempotency.claim-lease-seconds:600}") long leaseSeconds,
            @Value("${whatsapp.idempotency.replica-timeout-seconds:30}") long replicaTimeoutSeconds,
            @Value("${camel.component.kafka.max-poll-interval-ms:300000}") long maxPollIntervalMs,
            @Value("${camel.component.kafka.delivery-timeout-ms:120000}") long deliveryTimeoutMs) {
        long floorSeconds = (maxPollIntervalMs + deliveryTimeoutMs) / 1000;
        if (leaseSeconds <= floorSeconds) {
            throw new IllegalStateException("whatsapp.idempotency.claim-lease-seconds (" + leaseSeconds
                    + ") must be longer than the Kafka poll interval plus the delivery timeout (" + floorSeconds
                    + " s): a stalled consumer could otherwise lose its claim and still publish");
        }
        return new FactClaims(dataSource, processorName, replica.replicaId(), leaseSeconds, replicaTimeoutSeconds,
                registry);
    }
}
