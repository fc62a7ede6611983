package io.github.wacrm.bridge.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The bridge's topic names ({@code whatsapp.topics.*}), as the routes use them. */
@ConfigurationProperties("whatsapp.topics")
public record TopicNames(String raw, String events, String dlq, String unhandled, String facts, String salesforceDlq,
        String salesforceReplay, String hubspotDlq, String hubspotReplay, String outboundRequests,
        String salesforceActivityDlq, String hubspotActivityDlq) {

    /** Every topic the bridge reads or writes, each once (a name left unset is left out). */
    public List<String> all() {
        return Stream.of(raw, events, dlq, unhandled, facts, salesforceDlq, salesforceReplay, hubspotDlq, hubspotReplay,
                outboundRequests, salesforceActivityDlq, hubspotActivityDlq)
                .filter(Objects::nonNull).distinct().toList();
    }
}
