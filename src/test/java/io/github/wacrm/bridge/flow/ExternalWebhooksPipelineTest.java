package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.normalize.WebhookNormalizer;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.ExternalWebhooks;
import io.github.wacrm.bridge.support.TopicProbe;

/**
 * The 233 real webhook bodies, posted signed through the whole bridge: each is answered 200 and ends as canonical
 * events of its kind, the unknown fields on the unhandled topic; none in the dead-letter topic.
 */
class ExternalWebhooksPipelineTest extends BridgeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRealBodyIsAnsweredAndEndsAsEventsNeverAsADeadLetter() throws Exception {
        WebhookNormalizer normalizer = new WebhookNormalizer(new PhoneIdentity(""));
        List<byte[]> bodies = new ArrayList<>();
        Set<String> expectedEvents = new HashSet<>();
        Set<String> expectedUnhandled = new HashSet<>();
        for (String name : ExternalWebhooks.names()) {
            byte[] body = ExternalWebhooks.body(name);
            bodies.add(body);
            for (CanonicalEvent event : normalizer.normalize(body, null)) {
                expectedEvents.add(event.eventId);
                if (event.kind == EventKind.UNKNOWN) {
                    expectedUnhandled.add(event.eventId);
                }
            }
        }
        try (TopicProbe events = TopicProbe.open("whatsapp.events");
                TopicProbe unhandled = TopicProbe.open("whatsapp.events.unhandled");
                TopicProbe deadLetters = TopicProbe.open("whatsapp.webhooks.dlq")) {
            for (int i = 0; i < bodies.size(); i++) {
                assertThat(postSigned(bodies.get(i)).statusCode()).as(ExternalWebhooks.names().get(i)).isEqualTo(200);
            }

            // a poll worked again (record by record, after one of its deliveries failed) writes its events again: the
            // router lets each fact through once
            assertThat(eventIds(events.awaitEach(r -> eventId(r), expectedEvents, Duration.ofSeconds(90))))
                    .containsAll(expectedEvents);
            // an unknown field is kept, once, whatever delivery brought it first
            assertThat(eventIds(unhandled.await(r -> expectedUnhandled.contains(eventId(r)), expectedUnhandled.size(),
                    Duration.ofSeconds(60)))).containsAll(expectedUnhandled);
            List<ConsumerRecord<String, byte[]>> dead = deadLetters.settle(
                    r -> bodies.stream().anyMatch(b -> Arrays.equals(b, r.value())), Duration.ofSeconds(3));
            assertThat(dead).extracting(r -> TopicProbe.header(r, "whatsapp-dlq-reason")).isEmpty();
        }
    }

    private static Set<String> eventIds(List<ConsumerRecord<String, byte[]>> records) {
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(eventId(r)));
        return ids;
    }

    private static String eventId(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value()).path("eventId").asText(null);
        } catch (java.io.IOException notJson) {
            return null;
        }
    }
}
