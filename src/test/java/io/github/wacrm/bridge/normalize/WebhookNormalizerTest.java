package io.github.wacrm.bridge.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.LargeDeliveries;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.EventKind;

class WebhookNormalizerTest {

    private static final String RECEIVED = "2024-11-22T10:07:00.000Z";
    private final WebhookNormalizer normalizer = new WebhookNormalizer(new PhoneIdentity(""));

    private CanonicalEvent only(String fixture) {
        List<CanonicalEvent> events = normalizer.normalize(Fixtures.raw(fixture), RECEIVED);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    void aTextMessageCarriesItsIdsTimeCustomerAndText() {
        CanonicalEvent e = only("message-text");
        assertThat(e.kind).isEqualTo(EventKind.MESSAGE);
        assertThat(e.messageId).endsWith("-RUN-text");
        assertThat(e.dedupKey).isEqualTo("message:" + e.messageId);
        assertThat(e.occurredAt).isEqualTo("2024-11-22T10:06:40Z");
        assertThat(e.receivedAt).isEqualTo(RECEIVED);
        assertThat(e.customer.waId).isEqualTo("16505551234");
        assertThat(e.customer.profileName).isEqualTo("Sheena Nelson");
        assertThat(e.partitionKey).isEqualTo("phone:+16505551234");
        assertThat(e.payload.path("text").asText()).isEqualTo("Hi, is my order #4521 shipped yet?");
    }

    @Test
    void aTextLongerThanTheBoundIsCutByCodePointAndNamedAsCut() throws Exception {
        byte[] delivery = LargeDeliveries.singleText("RUN", 2_500_000);
        assertThat(delivery.length).isGreaterThan(2_500_000);

        CanonicalEvent e = normalizer.normalize(delivery, RECEIVED).get(0);

        String text = e.payload.path("text").asText();
        assertThat(text.codePointCount(0, text.length())).isEqualTo(TextBound.MAX_CODE_POINTS);
        assertThat(Character.isHighSurrogate(text.charAt(text.length() - 1))).as("never half an emoji").isFalse();
        assertThat(e.payload.path("truncated")).hasSize(1);
        assertThat(e.payload.path("truncated").get(0).asText()).isEqualTo("text");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(e).length)
                .as("the fact fits any topic and CRM field").isLessThan(200_000);
    }

    @Test
    void aTextWithinTheBoundIsKeptWholeAndNotMarked() {
        CanonicalEvent e = only("message-text");
        assertThat(e.payload.has("truncated")).isFalse();
    }

    @Test
    void oneThousandStatusesInOneDeliveryAreOneThousandEventsEachKeyedByItsCustomer() {
        List<CanonicalEvent> events = normalizer.normalize(LargeDeliveries.statuses("RUN", 1000), RECEIVED);

        assertThat(events).hasSize(1000).allSatisfy(e -> assertThat(e.kind).isEqualTo(EventKind.STATUS));
        assertThat(events.stream().map(e -> e.dedupKey).distinct()).hasSize(1000);
        assertThat(events.get(999).partitionKey).isEqualTo("phone:+16505570999");
        assertThat(events.get(999).messageId).isEqualTo(LargeDeliveries.statusWamid("RUN", 999));
    }

    @Test
    void metasOwnValueOfAManagementFieldIsKeptAsSentEvenWhenLong() {
        byte[] unknown = new String(Fixtures.raw("unknown-field"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"value\": {", "\"value\": {\"note\": \"" + "x".repeat(40_000) + "\",")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CanonicalEvent e = normalizer.normalize(unknown, RECEIVED).get(0);
        assertThat(e.payload.has("truncated")).isFalse();
        assertThat(e.payload.path("value").path("note").asText()).as("kept whole").hasSize(40_000);
    }

    @Test
    void theEventIdIsStableAcrossRedeliveries() {
        assertThat(only("message-text").eventId).isEqualTo(only("message-text").eventId);
        assertThat(only("template-status-approved").eventId).isEqualTo(only("template-status-approved").eventId);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"message-image, image", "message-audio, audio", "message-video, video", "message-document, document",
            "message-sticker, sticker"})
    void mediaMessagesCarryTheMediaIdNotTheFile(String fixture, String type) {
        CanonicalEvent e = only(fixture);
        assertThat(e.payload.path("type").asText()).isEqualTo(type);
        assertThat(e.payload.path("media").path("id").asText()).isNotBlank();
        assertThat(e.payload.path("media").path("mimeType").asText()).contains("/");
    }

    @Test
    void captionsFilenamesAndVoiceFlagsSurvive() {
        assertThat(only("message-image").payload.path("caption").asText()).isEqualTo("The damaged box");
        assertThat(only("message-document").payload.path("media").path("filename").asText()).isEqualTo("invoice-4521.pdf");
        assertThat(only("message-audio").payload.path("media").path("voice").asBoolean()).isTrue();
    }

    @Test
    void interactiveRepliesButtonsAndReactionsAreReadable() {
        JsonNode button = only("message-interactive-button-reply").payload;
        assertThat(button.path("interactive").path("type").asText()).isEqualTo("button_reply");
        assertThat(button.path("interactive").path("id").asText()).isEqualTo("track-order");
        assertThat(button.path("context").path("messageId").asText()).endsWith("-RUN-ctx");
        JsonNode list = only("message-interactive-list-reply").payload.path("interactive");
        assertThat(list.path("description").asText()).isEqualTo("Next-day delivery");
        JsonNode flow = only("message-interactive-nfm-reply").payload.path("interactive");
        assertThat(flow.path("responseJson").asText()).contains("flow_token");
        JsonNode quickReply = only("message-button").payload.path("button");
        assertThat(quickReply.path("payload").asText()).isEqualTo("STOP_PROMOTIONS");
        JsonNode reaction = only("message-reaction").payload.path("reaction");
        assertThat(reaction.path("emoji").asText()).isEqualTo("👍");
        assertThat(reaction.path("messageId").asText()).endsWith("-RUN-out");
    }

    @Test
    void locationContactsOrderAndSystemMessagesAreKept() {
        assertThat(only("message-location").payload.path("location").path("latitude").asDouble()).isEqualTo(37.4848);
        assertThat(only("message-contacts").payload.path("contacts").get(0).path("name").path("formatted_name").asText())
                .isEqualTo("Barbara J. Johnson");
        JsonNode order = only("message-order").payload.path("order");
        assertThat(order.path("items")).hasSize(2);
        assertThat(order.path("items").get(0).path("productRetailerId").asText()).isEqualTo("SKU-RED-TSHIRT-M");
        JsonNode system = only("message-system").payload.path("system");
        assertThat(system.path("type").asText()).isEqualTo("user_changed_number");
        assertThat(system.path("newWaId").asText()).isEqualTo("16505559999");
    }

    @Test
    void errorsBesideMessagesAreAFactOfTheirOwnWithoutTheMessages() {
        List<CanonicalEvent> events = normalizer.normalize(
                io.github.wacrm.bridge.support.ExternalWebhooks.body("pywa-message-interactive-message-with-err.json"),
                RECEIVED);
        assertThat(events).extracting(e -> e.kind).containsExactly(EventKind.MESSAGE, EventKind.ERROR);
        CanonicalEvent error = events.get(1);
        assertThat(error.payload.path("errors").get(0).path("code").asInt()).isEqualTo(131000);
        assertThat(error.payload.path("value").has("messages")).isFalse();
        assertThat(error.payload.path("value").has("contacts")).as("no customer data copied").isFalse();
    }

    @Test
    void aGroupStatusIsAboutTheParticipantAndAGroupMessageKeepsItsGroup() {
        CanonicalEvent status = normalizer.normalize(
                io.github.wacrm.bridge.support.ExternalWebhooks.body("pywa-message-status-group.json"), RECEIVED).get(0);
        assertThat(status.customer.userId).as("the participant, not the group").isEqualTo("US.123456");
        assertThat(status.partitionKey).isEqualTo("bsuid:US.123456");
        assertThat(status.payload.path("groupId").asText()).isEqualTo("fowefinoewcnw");
        CanonicalEvent message = normalizer.normalize(
                io.github.wacrm.bridge.support.ExternalWebhooks.body("metadocs2025-group-text-message.json"), RECEIVED)
                .get(0);
        assertThat(message.customer.waId).isEqualTo("16505551234");
        assertThat(message.payload.path("groupId").asText()).isEqualTo("HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA");
    }

    @Test
    void aCallPermissionReplyAndAnIdentityChangeKeepWhatTheySay() {
        CanonicalEvent accept = normalizer.normalize(
                io.github.wacrm.bridge.support.ExternalWebhooks.body("pywa-call-permission-update-accept.json"), RECEIVED)
                .get(0);
        assertThat(accept.payload.path("interactive").path("response").asText()).isEqualTo("accept");
        assertThat(accept.payload.path("interactive").path("expirationTimestamp").asLong()).isEqualTo(1753186982L);
        assertThat(io.github.wacrm.bridge.event.MessageText.render(accept.payload)).isEqualTo("Call permission: accept");
        CanonicalEvent identity = normalizer.normalize(
                io.github.wacrm.bridge.support.ExternalWebhooks.body("pywa-system-identity-change.json"), RECEIVED).get(0);
        assertThat(identity.payload.path("system").path("type").asText()).isEqualTo("customer_identity_changed");
        assertThat(identity.payload.path("identity").path("acknowledged").asBoolean()).isTrue();
    }

    @Test
    void aChangeOfNumberIsKeyedByTheNewNumberSoItIsOrderedWithTheNewNumbersFacts() {
        CanonicalEvent change = only("message-system");
        assertThat(change.customer.waId).as("the customer is the old number").isEqualTo("16505551234");
        assertThat(change.partitionKey).isEqualTo("phone:+16505559999");
    }

    @Test
    void clickToWhatsAppReferralsKeepTheAdAndClickIds() {
        JsonNode referral = only("message-referral").payload.path("referral");
        assertThat(referral.path("sourceId").asText()).isEqualTo("120210785842720045");
        assertThat(referral.path("sourceType").asText()).isEqualTo("ad");
        assertThat(referral.path("ctwaClid").asText()).startsWith("ARAkLkA8");
    }

    @Test
    void forwardsAndUnsupportedTypesAreMarked() {
        // Meta sends one of the two: forwarded, or frequently_forwarded once a message was forwarded more than 5 times
        JsonNode frequently = only("message-forwarded-reply").payload.path("context");
        assertThat(frequently.path("frequentlyForwarded").asBoolean()).isTrue();
        JsonNode forwarded = normalizer.normalize(io.github.wacrm.bridge.support.ExternalWebhooks.body(
                "pywa-message-forwarded.json"), RECEIVED).get(0).payload.path("context");
        assertThat(forwarded.path("forwarded").asBoolean()).isTrue();
        JsonNode unsupported = only("message-unsupported").payload;
        assertThat(unsupported.path("type").asText()).isEqualTo("unsupported");
        assertThat(unsupported.path("errors").get(0).path("code").asInt()).isEqualTo(131051);
    }

    @Test
    void statusesCarryPricingConversationAndErrors() {
        CanonicalEvent sent = only("status-sent-with-pricing");
        assertThat(sent.kind).isEqualTo(EventKind.STATUS);
        assertThat(sent.dedupKey).isEqualTo("status:" + sent.messageId + ":sent");
        assertThat(sent.payload.path("pricing").path("category").asText()).isEqualTo("marketing");
        assertThat(sent.payload.path("pricing").path("pricingModel").asText()).isEqualTo("PMP");
        assertThat(sent.payload.path("conversation").path("expiresAt").asText()).isEqualTo("2024-11-23T10:08:20Z");
        assertThat(sent.payload.path("bizOpaqueCallbackData").asText()).isEqualTo("crm-task-00T5e00000abcde");
        CanonicalEvent failed = only("status-failed-131047");
        assertThat(failed.payload.path("status").asText()).isEqualTo("failed");
        assertThat(failed.payload.path("errors").get(0).path("code").asInt()).isEqualTo(131047);
        assertThat(failed.payload.path("errors").get(0).path("details").asText()).contains("24 hours");
        assertThat(only("status-read").dedupKey).isNotEqualTo(only("status-delivered").dedupKey);
    }

    @Test
    void aStatusToABsuidOnlyUserKeepsTheBsuid() {
        CanonicalEvent e = only("status-bsuid-only");
        assertThat(e.customer.waId).isNull();
        assertThat(e.customer.userId).isEqualTo("US.13491208655302741918RUN");
        assertThat(e.customer.username).isEqualTo("@sheena.RUN");
        assertThat(e.partitionKey).isEqualTo("bsuid:US.13491208655302741918RUN");
    }

    @Test
    void aBatchBecomesOneEventPerFact() {
        List<CanonicalEvent> events = normalizer.normalize(Fixtures.raw("batch-several-entries-and-numbers"), RECEIVED);
        assertThat(events).extracting(e -> e.kind).containsExactly(EventKind.MESSAGE, EventKind.MESSAGE,
                EventKind.STATUS, EventKind.STATUS, EventKind.MESSAGE);
        assertThat(events).extracting(e -> e.wabaId).containsExactly("102290129340398", "102290129340398",
                "102290129340398", "102290129340398", "203344556677889");
        assertThat(events.get(1).customer.profileName).as("each message gets its own contact").isEqualTo("Bruno");
        assertThat(events.get(4).phoneNumberId).isEqualTo("109876543210987");
    }

    @Test
    void templateEventsAreKeyedByTemplate() {
        CanonicalEvent approved = only("template-status-approved");
        assertThat(approved.kind).isEqualTo(EventKind.TEMPLATE);
        assertThat(approved.partitionKey).isEqualTo("template:14242424242690");
        assertThat(approved.payload.path("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.payload.path("templateName").asText()).isEqualTo("order_shipped");
        assertThat(approved.occurredAt).isEqualTo("2024-11-22T10:10:00Z");
        assertThat(only("template-status-rejected").payload.path("reason").asText()).isEqualTo("INVALID_FORMAT");
        CanonicalEvent category = only("template-category-update");
        assertThat(category.payload.path("previousCategory").asText()).isEqualTo("UTILITY");
        assertThat(category.payload.path("category").asText()).isEqualTo("MARKETING");
        assertThat(only("template-quality-update").payload.path("qualityScore").asText()).isEqualTo("YELLOW");
    }

    @Test
    void phoneNumberAccountAndPreferenceFieldsHaveTheirKinds() {
        CanonicalEvent quality = only("phone-number-quality-update");
        assertThat(quality.kind).isEqualTo(EventKind.PHONE_NUMBER);
        assertThat(quality.payload.path("event").asText()).isEqualTo("FLAGGED");
        assertThat(quality.payload.path("currentLimit").asText()).isEqualTo("TIER_1K");
        assertThat(only("phone-number-name-update").payload.path("decision").asText()).isEqualTo("APPROVED");
        for (String account : List.of("account-update", "account-review-update", "business-capability-update", "security")) {
            assertThat(only(account).kind).as(account).isEqualTo(EventKind.ACCOUNT);
            assertThat(only(account).payload.path("value").isObject()).isTrue();
        }
        CanonicalEvent stop = only("user-preferences-marketing-stop");
        assertThat(stop.kind).isEqualTo(EventKind.USER_PREFERENCE);
        assertThat(stop.payload.path("value").asText()).isEqualTo("stop");
        assertThat(stop.payload.path("category").asText()).isEqualTo("marketing_messages");
        assertThat(stop.partitionKey).isEqualTo("phone:+16505551234");
        CanonicalEvent errors = only("value-errors");
        assertThat(errors.kind).isEqualTo(EventKind.ERROR);
        assertThat(errors.payload.path("errors").get(0).path("code").asInt()).isEqualTo(131056);
        assertThat(only("unknown-field").kind).isEqualTo(EventKind.UNKNOWN);
    }

    @Test
    void aChangeWithoutAFieldIsAFactOfAnUnknownKindNotACrash() {
        // found by WebhookNormalizerFuzzTest (its input change-without-field.json)
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":"
                + "[{\"value\":{\"messaging_product\":\"whatsapp\"}}]}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<CanonicalEvent> events = normalizer.normalize(body, RECEIVED);
        assertThat(events).singleElement().satisfies(event -> assertThat(event.kind).isEqualTo(EventKind.UNKNOWN));
    }

    @Test
    void rawUtf8AndEscapedBodiesGiveTheSameFacts() {
        CanonicalEvent raw = only("unicode-raw-utf8");
        CanonicalEvent escaped = only("unicode-escaped");
        assertThat(raw.payload).isEqualTo(escaped.payload);
        assertThat(raw.dedupKey).isEqualTo(escaped.dedupKey);
        assertThat(raw.payload.path("text").asText()).isEqualTo("¡Hola! 😀🎉 mañana a las 5/6 — café ☕ https://example.com/pedido");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "bad-truncated, truncated", "bad-not-json, not_json", "bad-not-whatsapp-envelope, not_whatsapp_envelope",
            "bad-invalid-utf8, invalid_utf8", "bad-too-deep, too_deep", "bad-duplicate-keys, duplicate_key",
            "bad-trailing-garbage, not_json"})
    void unreadableDeliveriesAreRefusedWithAReason(String fixture, String reason) {
        assertThatThrownBy(() -> normalizer.normalize(Fixtures.raw(fixture), RECEIVED))
                .isInstanceOfSatisfying(MalformedWebhookException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).doesNotContain("RUN");
                });
    }

    @Test
    void anEmptyBodyOrAnEnvelopeWithoutEntriesIsRefused() {
        assertThatThrownBy(() -> normalizer.normalize(new byte[0], RECEIVED))
                .isInstanceOfSatisfying(MalformedWebhookException.class, e -> assertThat(e.reason()).isEqualTo("empty_body"));
        assertThatThrownBy(() -> normalizer.normalize("{\"object\":\"whatsapp_business_account\"}".getBytes(), RECEIVED))
                .isInstanceOfSatisfying(MalformedWebhookException.class,
                        e -> assertThat(e.reason()).isEqualTo("not_whatsapp_envelope"));
    }

    @Test
    void aStatusNamesItsRecipientsParentBsuidAsMetaWritesIt() throws Exception {
        // the real body (waapijs-bsuid-delivered-username-parent-to-bsuid), without its contacts: the status alone
        com.fasterxml.jackson.databind.node.ObjectNode real = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(io.github.wacrm.bridge.support.ExternalWebhooks
                        .body("waapijs-bsuid-delivered-username-parent-to-bsuid.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) real.path("entry").path(0).path("changes").path(0).path("value"))
                .remove("contacts");
        CanonicalEvent status = normalizer.normalize(real.toString().getBytes(StandardCharsets.UTF_8), RECEIVED).get(0);
        assertThat(status.customer.userId).isEqualTo("US.13491208655302741918");
        assertThat(status.customer.parentUserId).isEqualTo("US.ENT.506847293015824");
    }

    @Test
    void anEmptyEntryListIsAValidDeliveryWithNoFacts() {
        assertThat(normalizer.normalize("{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(), RECEIVED))
                .isEmpty();
        assertThat(normalizer.normalize(
                "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[]}]}".getBytes(), RECEIVED))
                .isEmpty();
    }
}
