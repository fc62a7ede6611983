package io.github.wacrm.bridge.pipeline;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The bridge's topic names ({@code whatsapp.topics.*}), as the routes use them. */
@ConfigurationProperties("whatsapp.topics")
public record TopicNames(String raw, String events, String dlq, String unhandled, String facts, String salesforceDlq,
        String salesforceReplay, String hubspotDlq, String hubspotReplay) {
}
