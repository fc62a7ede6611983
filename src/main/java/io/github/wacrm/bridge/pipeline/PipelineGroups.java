package io.github.wacrm.bridge.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The pipeline's consumer groups and the topics each reads, as the routes name them
 * ({@code whatsapp.kafka.group-id} + suffix): the normaliser, the router, each CRM sink that is enabled, and the reverse routes' sender and tracker.
 */
@Component
public class PipelineGroups {

    private final Map<String, List<String>> topicsByGroup = new LinkedHashMap<>();

    public PipelineGroups(@Value("${whatsapp.kafka.group-id}") String groupId, TopicNames topics,
            @Value("${whatsapp.salesforce.enabled:false}") boolean salesforce,
            @Value("${whatsapp.hubspot.enabled:false}") boolean hubspot,
            @Value("${whatsapp.outbound.enabled:false}") boolean outbound) {
        topicsByGroup.put(groupId + "-normalizer", List.of(topics.raw()));
        topicsByGroup.put(groupId + "-router", List.of(topics.events()));
        if (salesforce) {
            topicsByGroup.put(groupId + "-salesforce", List.of(topics.facts(), topics.salesforceReplay()));
        }
        if (hubspot) {
            topicsByGroup.put(groupId + "-hubspot", List.of(topics.facts(), topics.hubspotReplay()));
        }
        if (outbound) {
            topicsByGroup.put(groupId + "-outbound", List.of(topics.outboundRequests()));
            topicsByGroup.put(groupId + "-outbound-facts", List.of(topics.facts()));
        }
    }

    /** Group id → the topics its route consumes. */
    public Map<String, List<String>> topicsByGroup() {
        return topicsByGroup;
    }
}
