package io.github.wacrm.bridge.pipeline;

import org.apache.camel.component.kafka.consumer.DefaultKafkaManualAsyncCommitFactory;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka component's default manual commit: asynchronous (the one-record consumers commit after each record and
 * must not wait for the broker each time). Camel autowires the single {@link KafkaManualCommitFactory} bean into the
 * component; an endpoint that must commit synchronously (the CRM sinks) names its own factory.
 */
@Configuration
public class KafkaCommitConfiguration {

    @Bean
    KafkaManualCommitFactory asyncManualCommits() {
        return new DefaultKafkaManualAsyncCommitFactory();
    }
}
