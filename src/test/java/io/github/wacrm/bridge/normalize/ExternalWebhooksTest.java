package io.github.wacrm.bridge.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.support.ExternalWebhooks;

/**
 * Every real webhook body collected from other projects and Meta's reference becomes canonical events of its kind (or
 * of an unknown field, kept on the unhandled topic): none is malformed, and an empty {@code entry} list is a valid
 * delivery with no facts.
 */
class ExternalWebhooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Set<EventKind>> KINDS_OF_FIELD = Map.ofEntries(
            Map.entry("messages", Set.of(EventKind.MESSAGE, EventKind.STATUS, EventKind.ERROR, EventKind.UNKNOWN)),
            Map.entry("user_preferences", Set.of(EventKind.USER_PREFERENCE, EventKind.UNKNOWN)),
            Map.entry("message_template_status_update", Set.of(EventKind.TEMPLATE)),
            Map.entry("template_category_update", Set.of(EventKind.TEMPLATE)),
            Map.entry("message_template_quality_update", Set.of(EventKind.TEMPLATE)),
            Map.entry("phone_number_quality_update", Set.of(EventKind.PHONE_NUMBER)),
            Map.entry("phone_number_name_update", Set.of(EventKind.PHONE_NUMBER)),
            Map.entry("account_update", Set.of(EventKind.ACCOUNT)),
            Map.entry("account_review_update", Set.of(EventKind.ACCOUNT)),
            Map.entry("business_capability_update", Set.of(EventKind.ACCOUNT)),
            Map.entry("security", Set.of(EventKind.ACCOUNT)),
            Map.entry("calls", Set.of(EventKind.CALL, EventKind.UNKNOWN)),
            Map.entry("smb_app_state_sync", Set.of(EventKind.APP_CONTACT, EventKind.UNKNOWN)),
            Map.entry("smb_message_echoes", Set.of(EventKind.OUTBOUND_MESSAGE, EventKind.UNKNOWN)),
            // a chunk with no threads (a progress mark) is kept as it came
            Map.entry("history", Set.of(EventKind.MESSAGE, EventKind.OUTBOUND_MESSAGE, EventKind.UNKNOWN)));

    private final WebhookNormalizer normalizer = new WebhookNormalizer(new PhoneIdentity(""));

    static Stream<String> bodies() {
        return ExternalWebhooks.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void everyRealBodyBecomesCanonicalEventsOfItsKind(String name) throws Exception {
        byte[] body = ExternalWebhooks.body(name);
        List<CanonicalEvent> events = normalizer.normalize(body, "2026-12-02T00:00:00Z");

        List<String> fields = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(body).path("entry")) {
            entry.path("changes").forEach(change -> fields.add(change.path("field").asText()));
        }
        if (fields.isEmpty()) {
            assertThat(events).as("a delivery without changes has no facts").isEmpty();
            return;
        }
        assertThat(events).as("each change becomes at least one fact").hasSizeGreaterThanOrEqualTo(fields.size());
        int messages = 0, statuses = 0, errors = 0, history = 0;
        for (JsonNode entry : JSON.readTree(body).path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                if ("messages".equals(change.path("field").asText())) {
                    messages += change.path("value").path("messages").size();
                    statuses += change.path("value").path("statuses").size();
                    errors += change.path("value").path("errors").size() > 0 ? 1 : 0;
                }
                if ("history".equals(change.path("field").asText())) {
                    history += change.path("value").path("messages").size();
                    for (JsonNode part : change.path("value").path("history")) {
                        for (JsonNode thread : part.path("threads")) {
                            history += thread.path("messages").size();
                        }
                    }
                }
            }
        }
        assertThat(events.stream().filter(e -> e.kind == EventKind.MESSAGE && "messages".equals(e.field)))
                .as("one fact per message").hasSize(messages);
        assertThat(events.stream().filter(e -> "history".equals(e.field) && e.kind != EventKind.UNKNOWN))
                .as("one fact per message of the history").hasSize(history);
        assertThat(events.stream().filter(e -> e.kind == EventKind.STATUS)).as("one fact per status").hasSize(statuses);
        assertThat(events.stream().filter(e -> e.kind == EventKind.ERROR))
                .as("the value's own errors, alone or beside messages, a fact").hasSize(errors);
        for (CanonicalEvent event : events) {
            assertThat(event.eventId).isNotBlank();
            assertThat(event.dedupKey).isNotBlank();
            assertThat(event.partitionKey).isNotBlank();
            assertThat(fields).contains(event.field);
            assertThat(event.kind).as(event.field).isIn(KINDS_OF_FIELD.getOrDefault(event.field, Set.of(EventKind.UNKNOWN)));
            assertThat(JSON.writeValueAsBytes(event)).isNotEmpty();
        }
    }
}
