package io.github.wacrm.bridge.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.support.ExternalWebhooks;
import io.github.wacrm.bridge.support.Fixtures;

/** A number shared with the WhatsApp Business app: echoes, edits, revokes and the onboarding history as facts. */
class CoexistenceEventsTest {

    private static final String RECEIVED = "2025-02-12T00:44:00.000Z";
    private static final String RUN = "C0EXISTENCE1";
    private static final String CUSTOMER = "1" + Fixtures.digits(RUN);
    private final WebhookNormalizer normalizer = new WebhookNormalizer(new PhoneIdentity(""));

    @Test
    void aMessageStaffSentFromTheAppIsAnOutboundMessageToTheCustomer() {
        CanonicalEvent echo = only("echo-text");
        assertThat(echo.kind).isEqualTo(EventKind.OUTBOUND_MESSAGE);
        assertThat(echo.messageId).endsWith("-" + RUN + "-echo");
        assertThat(echo.dedupKey).isEqualTo("echo:" + echo.messageId);
        assertThat(echo.customer.waId).isEqualTo(CUSTOMER);
        assertThat(echo.payload.path("origin").asText()).isEqualTo("business_app");
        assertThat(echo.payload.path("text").asText()).startsWith("Here's the info you requested!");
        assertThat(echo.occurredAt).isEqualTo("2025-02-12T00:43:44Z");
    }

    @Test
    void anEditAndARevokeChangeTheOriginalMessageEachAsAFactOfItsOwn() {
        CanonicalEvent edit = only("echo-edit");
        assertThat(edit.messageId).endsWith("-" + RUN + "-echo");
        assertThat(edit.dedupKey).endsWith("-" + RUN + "-edit");
        assertThat(edit.payload.path("edited").asBoolean()).isTrue();
        assertThat(edit.payload.path("text").asText()).isEqualTo("Here's the corrected link: https://www.meta.com/quest/");
        CanonicalEvent revoke = only("echo-revoke");
        assertThat(revoke.messageId).isEqualTo(edit.messageId);
        assertThat(revoke.payload.path("revoked").asBoolean()).isTrue();
    }

    @Test
    void aHistoryChunkIsOneFactPerMessageWithItsOriginalTimeKeyedLikeTheLiveMessage() {
        List<CanonicalEvent> events = normalizer.normalize(Fixtures.load("history-chunk", RUN), RECEIVED);
        assertThat(events).hasSize(4).allSatisfy(e -> {
            assertThat(e.payload.path("history").asBoolean()).isTrue();
            assertThat(e.occurredAt).startsWith("2025-02-10T23:");
        });
        assertThat(events).filteredOn(e -> e.kind == EventKind.MESSAGE).singleElement().satisfies(e -> {
            assertThat(e.customer.waId).isEqualTo(CUSTOMER);
            assertThat(e.dedupKey).isEqualTo("message:" + e.messageId);
            assertThat(e.payload.path("historyStatus").asText()).isEqualTo("READ");
        });
        assertThat(events).filteredOn(e -> e.kind == EventKind.OUTBOUND_MESSAGE).hasSize(3)
                .allSatisfy(e -> assertThat(e.dedupKey).isEqualTo("echo:" + e.messageId))
                .extracting(e -> e.customer.waId).containsExactly(CUSTOMER, CUSTOMER, "2" + Fixtures.digits(RUN));
    }

    @Test
    void everyRealEchoAndHistoryBodyBecomesFactsNoneUnhandled() {
        for (String name : List.of("metadocs2026-smb-echo-text", "metadocs2026-smb-echo-edit-image-caption",
                "pywa-outgoing-message-text", "pywa-outgoing-message-edit", "pywa-outgoing-message-delete",
                "pywa-message-coexistence-text-hist", "metadocs-history-two-messages",
                "metadocs-history-media-message", "metadocs-smb-app-state-sync-example")) {
            List<CanonicalEvent> events = normalizer.normalize(ExternalWebhooks.body(name + ".json"), RECEIVED);
            assertThat(events).as(name).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.kind).isIn(EventKind.MESSAGE, EventKind.OUTBOUND_MESSAGE,
                            EventKind.APP_CONTACT));
        }
        CanonicalEvent media = normalizer.normalize(ExternalWebhooks.body("metadocs-history-media-message.json"),
                RECEIVED).get(0);
        assertThat(media.kind).isEqualTo(EventKind.MESSAGE);
        assertThat(media.payload.path("media").path("id").asText()).isEqualTo("24230790383178626");
    }

    @Test
    void aContactAddedInTheAppsAddressBookIsAFactWithItsNames() {
        CanonicalEvent contact = only("app-state-sync-contact");
        assertThat(contact.kind).isEqualTo(EventKind.APP_CONTACT);
        assertThat(contact.customer.waId).isEqualTo(CUSTOMER);
        assertThat(contact.payload.path("action").asText()).isEqualTo("add");
        assertThat(contact.payload.path("fullName").asText()).isEqualTo("Pablo Morales");
        assertThat(contact.payload.path("firstName").asText()).isEqualTo("Pablo");
    }

    private CanonicalEvent only(String fixture) {
        List<CanonicalEvent> events = normalizer.normalize(Fixtures.load(fixture, RUN), RECEIVED);
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
