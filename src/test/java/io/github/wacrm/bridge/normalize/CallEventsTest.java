package io.github.wacrm.bridge.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.support.ExternalWebhooks;
import io.github.wacrm.bridge.support.Fixtures;

/** {@code calls} webhooks, ours and the real bodies of other projects, become one CALL fact per event. */
class CallEventsTest {

    private static final String RECEIVED = "2024-11-22T10:07:00.000Z";
    private final WebhookNormalizer normalizer = new WebhookNormalizer(new PhoneIdentity(""));

    @Test
    void aTerminateCarriesTheCallsDirectionTimesDurationAndStatusButNotTheNumbers() {
        CanonicalEvent e = one("call-terminate");
        assertThat(e.kind).isEqualTo(EventKind.CALL);
        assertThat(e.messageId).isEqualTo("wacid.HBgLMTY1MDU1NTEyMzQVAgASGCA-RUN-call");
        assertThat(e.dedupKey).isEqualTo("call:wacid.HBgLMTY1MDU1NTEyMzQVAgASGCA-RUN-call:terminate");
        assertThat(e.customer.waId).isEqualTo("16505551234");
        assertThat(e.occurredAt).isEqualTo("2024-11-22T10:08:45Z");
        assertThat(e.payload.path("event").asText()).isEqualTo("terminate");
        assertThat(e.payload.path("direction").asText()).isEqualTo("user_initiated");
        assertThat(e.payload.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(e.payload.path("startTime").asText()).isEqualTo("2024-11-22T10:06:45Z");
        assertThat(e.payload.path("endTime").asText()).isEqualTo("2024-11-22T10:08:45Z");
        assertThat(e.payload.path("durationSeconds").asLong()).isEqualTo(120);
        assertThat(e.payload.toString()).doesNotContain("15550783881").doesNotContain("16505551234");
    }

    @Test
    void aConnectKeepsNoSdpAndACallStatusIsAFactOfItsCall() {
        CanonicalEvent connect = one("call-connect-business-initiated");
        assertThat(connect.payload.path("direction").asText()).isEqualTo("business_initiated");
        assertThat(connect.payload.has("session")).isFalse();
        assertThat(connect.customer.waId).isEqualTo("16505551234");

        CanonicalEvent ringing = one("call-status-ringing");
        assertThat(ringing.kind).isEqualTo(EventKind.CALL);
        assertThat(ringing.dedupKey).endsWith(":status:RINGING");
        assertThat(ringing.messageId).isEqualTo(connect.messageId);
    }

    @Test
    void everyRealCallsBodyBecomesCallFactsNoneUnhandled() {
        for (String name : List.of("pywa-call-connect-user-initiated", "pywa-call-connect-business-initiated",
                "pywa-call-terminate-call-terminate", "pywa-call-status-call-status",
                "piusalfred-call-recording-available", "piusalfred-call-transcription-available")) {
            List<CanonicalEvent> events = normalizer.normalize(ExternalWebhooks.body(name + ".json"), RECEIVED);
            assertThat(events).as(name).isNotEmpty().allSatisfy(e -> {
                assertThat(e.kind).isEqualTo(EventKind.CALL);
                assertThat(e.messageId).startsWith("wacid.");
                assertThat(e.customer).isNotNull();
            });
        }
        assertThat(normalizer.normalize(ExternalWebhooks.body("piusalfred-call-recording-available.json"), RECEIVED).get(0)
                .payload.path("recording").asBoolean()).isTrue();
    }

    private CanonicalEvent one(String fixture) {
        List<CanonicalEvent> events = normalizer.normalize(Fixtures.raw(fixture), RECEIVED);
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
