package io.github.wacrm.bridge.pipeline;

import java.util.List;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code pipeline} health component: DOWN while a partition is stalled ({@link PartitionProgress}) or a topic
 * cannot take the largest record ({@link BridgeTopics}), with what and where. It is deliberately not part of the
 * readiness group: the intake must keep answering Meta (durably, into Kafka) while the pipeline behind it is stuck.
 */
@Component
public class PipelineHealthIndicator extends AbstractHealthIndicator {

    private final PartitionProgress progress;
    private final BridgeTopics topics;

    public PipelineHealthIndicator(PartitionProgress progress, BridgeTopics topics) {
        super("The pipeline's progress could not be read");
        this.progress = progress;
        this.topics = topics;
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        List<PartitionProgress.Partition> stalled = progress.stalled();
        List<String> topicProblems = topics.problems();
        if (!stalled.isEmpty() || !topicProblems.isEmpty()) {
            health.down();
        } else if (progress.lastCheck() == null) {
            health.unknown().withDetail("reason", "not checked yet");
        } else if (progress.lastFailure() != null) {
            // what is known is old: say so rather than UP (readiness already reports Kafka itself)
            health.unknown().withDetail("reason", "the last check could not read Kafka");
        } else {
            health.up();
        }
        health.withDetail("stallAfterSeconds", progress.stallAfter().toSeconds());
        if (progress.lastCheck() != null) {
            health.withDetail("checkedAt", progress.lastCheck().toString());
        }
        if (progress.lastFailure() != null) {
            health.withDetail("lastCheckFailed", progress.lastFailure());
        }
        if (!stalled.isEmpty()) {
            health.withDetail("stalled", stalled);
        }
        if (!topicProblems.isEmpty()) {
            health.withDetail("topics", topicProblems);
        }
    }
}
