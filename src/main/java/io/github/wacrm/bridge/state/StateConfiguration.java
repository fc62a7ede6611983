package io.github.wacrm.bridge.state;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Shared state of every replica, in PostgreSQL. */
@Configuration(proxyBeanMethods = false)
public class StateConfiguration {

    /** The idempotency keys of every fact the bridge let through (referenced as {@code #eventIdempotencyRepository}). */
    @Bean
    public AtomicJdbcMessageIdRepository eventIdempotencyRepository(DataSource dataSource,
            @Value("${whatsapp.idempotency.processor-name:whatsapp-events}") String processorName,
            @Value("${whatsapp.idempotency.claim-lease-seconds:120}") long leaseSeconds) {
        return new AtomicJdbcMessageIdRepository(dataSource, processorName, leaseSeconds);
    }
}
