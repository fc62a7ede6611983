package io.github.wacrm.bridge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Until when Kafka may hold an erased person: retention plus a segment, the policy's when the broker is away. */
class KafkaHoldingsTest {

    @Test
    void withoutTheBrokerThePolicysRetentionAndSegmentBoundIt() {
        TopicNames names = new TopicNames("raw", "events", "dlq", "unhandled", "facts", "sf-dlq", "sf-replay", "hs-dlq",
                "hs-replay", "requests", "sf-activity-dlq", "hs-activity-dlq");
        KafkaHoldings holdings = new KafkaHoldings(names, new TopicRetention(names, Duration.ofDays(8),
                Duration.ofDays(7)), "127.0.0.1:1");
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        java.util.List<KafkaHoldings.Holding> held = holdings.asOf(now);
        assertThat(held).hasSize(12).allSatisfy(topic -> assertThat(topic.fromBroker()).isFalse());
        KafkaHoldings.Holding raw = held.get(0);
        assertThat(raw.topic()).isEqualTo("raw");
        assertThat(raw.retention()).isEqualTo("PT192H");
        assertThat(raw.segment()).isEqualTo("PT24H");
        assertThat(raw.heldUntilAtTheLatest()).as("8 days plus a day plus the deletion's minutes")
                .isEqualTo(Instant.parse("2026-12-12T10:06:00Z"));
        assertThat(held.get(1).heldUntilAtTheLatest()).isEqualTo(Instant.parse("2026-12-11T10:06:00Z"));
    }
}
