package io.github.wacrm.bridge.pipeline;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * How long Kafka keeps what the bridge writes, by policy: the topics that hold whole webhook bodies or a refused fact
 * (raw, unhandled, the three dead-letter topics: names, phone numbers, messages) for
 * {@code whatsapp.kafka.retention.bodies} (8 days: Meta's redelivery window plus a day to replay), the pipeline's own
 * topics (events, facts, replays, outbound requests) for {@code whatsapp.kafka.retention.pipeline} (7 days). The
 * topics the bridge creates get it; an existing topic that keeps longer (or for ever) is reported at start with the
 * command that fixes it ({@link BridgeTopics}).
 */
@Component
public class TopicRetention {

    private final Map<String, Duration> byTopic = new LinkedHashMap<>();

    @Autowired
    public TopicRetention(TopicNames topics, @Value("${whatsapp.kafka.retention.bodies:8d}") Duration bodies,
            @Value("${whatsapp.kafka.retention.pipeline:7d}") Duration pipeline) {
        for (String topic : new String[] {topics.raw(), topics.unhandled(), topics.dlq(), topics.salesforceDlq(),
                topics.hubspotDlq(), topics.salesforceActivityDlq(),
                topics.hubspotActivityDlq()}) {
            put(topic, bodies);
        }
        for (String topic : new String[] {topics.events(), topics.facts(), topics.salesforceReplay(),
                topics.hubspotReplay(), topics.outboundRequests()}) {
            put(topic, pipeline);
        }
    }

    private void put(String topic, Duration retention) {
        if (topic != null) {
            byTopic.putIfAbsent(topic, retention);
        }
    }

    /** The {@code retention.ms} a topic the bridge creates gets; null for a topic it does not know. */
    public String retentionMs(String topic) {
        Duration retention = byTopic.get(topic);
        return retention == null ? null : String.valueOf(retention.toMillis());
    }

    /**
     * The {@code segment.ms} a topic the bridge creates gets: a day, or the retention when shorter. Kafka deletes whole
     * closed segments, so a record is kept at most retention plus this (an erasure reports that bound); Kafka's
     * default of 7 days would keep a quiet topic's records a week past their retention.
     */
    public String segmentMs(String topic) {
        Duration retention = byTopic.get(topic);
        return retention == null ? null : String.valueOf(Math.min(retention.toMillis(), Duration.ofDays(1).toMillis()));
    }

    /** The policy's retention of a topic; null for a topic it does not know. */
    public Duration retentionOf(String topic) {
        return byTopic.get(topic);
    }

    /** Why a topic's {@code retention.ms} breaks the policy (longer, or -1: for ever), with the fix; null when not. */
    public String warning(String topic, String retentionMs, String brokers) {
        Duration policy = byTopic.get(topic);
        if (policy == null || retentionMs == null) {
            return null;
        }
        long kept = Long.parseLong(retentionMs);
        if (kept >= 0 && kept <= policy.toMillis()) {
            return null;
        }
        return topic + ": keeps records " + (kept < 0 ? "for ever" : "for " + Duration.ofMillis(kept).toHours()
                + " h") + ", longer than the " + policy.toHours() + " h of whatsapp.kafka.retention (they hold personal "
                + "data); shorten it: kafka-configs.sh --bootstrap-server " + brokers + " --alter --entity-type topics "
                + "--entity-name " + topic + " --add-config retention.ms=" + policy.toMillis();
    }
}
