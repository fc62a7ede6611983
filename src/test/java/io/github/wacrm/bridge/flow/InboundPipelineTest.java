package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

/** From a signed POST to deduplicated, enriched, audited facts, through the real broker and database. */
class InboundPipelineTest extends BridgeIntegrationTest {

    private static final String EVENTS = "whatsapp.events";
    private static final String DLQ = "whatsapp.webhooks.dlq";
    private static final String UNHANDLED = "whatsapp.events.unhandled";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} → {2} {1} event(s)")
    @CsvSource({
            "message-text, message, 1", "message-image, message, 1", "message-audio, message, 1",
            "message-video, message, 1", "message-document, message, 1", "message-sticker, message, 1",
            "message-location, message, 1", "message-contacts, message, 1",
            "message-interactive-button-reply, message, 1", "message-interactive-list-reply, message, 1",
            "message-interactive-nfm-reply, message, 1", "message-button, message, 1", "message-reaction, message, 1",
            "message-order, message, 1", "message-system, message, 1", "message-referral, message, 1",
            "message-unsupported, message, 1", "message-forwarded-reply, message, 1",
            "status-sent-with-pricing, status, 1", "status-delivered, status, 1", "status-read, status, 1",
            "status-failed-131047, status, 1", "status-bsuid-only, status, 1",
            "template-status-approved, template, 1", "template-status-rejected, template, 1",
            "template-category-update, template, 1", "template-quality-update, template, 1",
            "phone-number-quality-update, phone_number, 1", "phone-number-name-update, phone_number, 1",
            "account-update, account, 1", "account-review-update, account, 1",
            "business-capability-update, account, 1", "security, account, 1",
            "user-preferences-marketing-stop, user_preference, 1", "user-preferences-marketing-resume, user_preference, 1",
            "value-errors, error, 1", "call-terminate, call, 1", "call-status-ringing, call, 1",
            "echo-text, outbound_message, 1",
            "unknown-field, unknown, 1", "customer-bsuid-only, message, 1", "customer-phone-and-bsuid, message, 1",
            "user-id-update, unknown, 1"})
    void everyWebhookCaseBecomesCanonicalEventsOfItsKindAndIsAuditedOnce(String fixture, String kind, int count)
            throws Exception {
        String run = Fixtures.newRun();
        List<JsonNode> events = sendAndAwaitEvents(fixture, run, count);

        assertThat(events).hasSize(count).allSatisfy(event -> {
            assertThat(event.path("kind").asText()).isEqualTo(kind);
            assertThat(event.path("schemaVersion").asInt()).isEqualTo(1);
            assertThat(event.path("eventId").asText()).isNotBlank();
            // the account fixtures carry the run in the WABA id (their values are Meta's own, the same every run)
            assertThat(event.path("wabaId").asText()).isIn("102290129340398", "10229" + Fixtures.digits(run));
            assertThat(event.path("occurredAt").asText()).endsWith("Z");
        });
        for (JsonNode event : events) {
            assertThat(awaitAuditRows(event.path("eventId").asText(), 1)).isEqualTo(1);
        }
    }

    @Test
    void aTextMessageBecomesExactlyThisCanonicalEvent() throws Exception {
        String run = Fixtures.newRun();
        JsonNode event = sendAndAwaitEvents("message-text", run, 1).get(0);
        ((ObjectNode) event).remove("receivedAt");

        String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text";
        assertThat(event).isEqualTo(JSON.readTree("""
                {"schemaVersion":1,
                 "eventId":"%s",
                 "dedupKey":"message:%s",
                 "kind":"message","field":"messages",
                 "wabaId":"102290129340398","phoneNumberId":"106540352242922","businessDisplayPhone":"15550783881",
                 "occurredAt":"2024-11-22T10:06:40Z",
                 "partitionKey":"phone:+16505551234",
                 "messageId":"%s",
                 "customer":{"waId":"16505551234","profileName":"Sheena Nelson"},
                 "payload":{"type":"text","text":"Hi, is my order #4521 shipped yet?"}}
                """.formatted(java.util.UUID.nameUUIDFromBytes(("message:" + wamid).getBytes(StandardCharsets.UTF_8)),
                wamid, wamid)));
    }

    @Test
    void aBatchWithSeveralEntriesChangesAndNumbersGivesOneEventPerFactKeyedByCustomer() throws Exception {
        String run = Fixtures.newRun();
        List<ConsumerRecord<String, byte[]>> records = sendAndAwait(EVENTS, "batch-several-entries-and-numbers", run, 5);

        assertThat(records).hasSize(5);
        List<String> keysAndKinds = records.stream().map(r -> r.key() + " " + json(r).path("kind").asText()
                + " " + json(r).path("phoneNumberId").asText()).toList();
        assertThat(keysAndKinds).containsExactlyInAnyOrder(
                "phone:+525512345678 message 106540352242922",
                "phone:+5511987654321 message 106540352242922",
                "phone:+525512345678 status 106540352242922",
                "phone:+525512345678 status 106540352242922",
                "phone:+5491123456789 message 109876543210987");
        // one customer's facts share a key, hence a partition, hence their order
        assertThat(records.stream().filter(r -> r.key().equals("phone:+525512345678")).map(r -> r.partition()).distinct())
                .hasSize(1);
    }

    @Test
    void aWebhookRedeliveredThreeTimesLetsItsFactThroughOnce() throws Exception {
        String run = Fixtures.newRun();
        byte[] body = Fixtures.load("message-image", run);
        String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-image";
        try (TopicProbe events = TopicProbe.open(EVENTS)) {
            for (int i = 0; i < 3; i++) {
                assertThat(postSigned(body).statusCode()).isEqualTo(200);
            }
            assertThat(events.await(r -> contains(r, run), 3, WAIT)).hasSize(3);
        }
        assertAuditedOnce(wamid);
    }

    @Test
    void concurrentRedeliveriesRacingEachOtherLetTheFactThroughOnce() throws Exception {
        String run = Fixtures.newRun();
        byte[] body = Fixtures.load("status-read", run);
        String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-" + run + "-out";
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                codes.add(pool.submit((Callable<Integer>) () -> postSigned(body).statusCode()));
            }
            for (Future<Integer> code : codes) {
                assertThat(code.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertAuditedOnce(wamid);
    }

    @Test
    void theSameFactInsideTwoDifferentDeliveriesIsProcessedOnce() throws Exception {
        String run = Fixtures.newRun();
        byte[] alone = Fixtures.load("message-text", run);
        ObjectNode withStatus = (ObjectNode) JSON.readTree(alone);
        ObjectNode value = (ObjectNode) withStatus.path("entry").get(0).path("changes").get(0).path("value");
        ArrayNode statuses = value.putArray("statuses");
        statuses.add(JSON.readTree("{\"id\":\"wamid.OTHER-" + run + "\",\"status\":\"sent\",\"timestamp\":\"1732270001\",\"recipient_id\":\"16505551234\"}"));
        byte[] combined = JSON.writeValueAsBytes(withStatus);
        String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text";

        assertThat(postSigned(alone).statusCode()).isEqualTo(200);
        assertThat(postSigned(combined).statusCode()).isEqualTo(200);

        assertThat(awaitAuditRowsForMessage("wamid.OTHER-" + run, 1)).isEqualTo(1);
        assertThat(settleAuditRowsForMessage(wamid)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} and {1} are one person")
    @CsvSource({
            "customer-mexico-521, customer-mexico-52, +525512345678",
            "customer-argentina-549, customer-argentina-54, +5491123456789",
            "customer-brazil-with-ninth-digit, customer-brazil-without-ninth-digit, +5511987654321"})
    void countryVariantsOfOneNumberAreOneIdentity(String first, String second, String e164) throws Exception {
        String run = Fixtures.newRun();
        JsonNode a = sendAndAwaitEvents(first, run, 1).get(0);
        JsonNode b = sendAndAwaitEvents(second, run, 1).get(0);

        assertThat(a.path("partitionKey").asText()).isEqualTo("phone:" + e164);
        assertThat(b.path("partitionKey").asText()).isEqualTo("phone:" + e164);
        String expectedHash = new PhoneIdentity("").hash("phone:" + e164);
        awaitAuditRows(a.path("eventId").asText(), 1);
        awaitAuditRows(b.path("eventId").asText(), 1);
        assertThat(jdbc.queryForList("SELECT identity_hash FROM event_audit WHERE event_id IN (CAST(? AS uuid), CAST(? AS uuid))",
                String.class, a.path("eventId").asText(), b.path("eventId").asText()))
                .containsExactly(expectedHash, expectedHash);
    }

    @Test
    void aUserWithOnlyABsuidKeepsThatIdentityAndIsNeverGivenAPhoneNumber() throws Exception {
        String run = Fixtures.newRun();
        JsonNode event = sendAndAwaitEvents("customer-bsuid-only", run, 1).get(0);
        String bsuid = "US.13491208655302741918" + run;

        assertThat(event.path("customer").path("userId").asText()).isEqualTo(bsuid);
        assertThat(event.path("customer").path("username").asText()).isEqualTo("@sheena." + run);
        assertThat(event.path("customer").has("waId")).isFalse();
        assertThat(event.path("partitionKey").asText()).isEqualTo("bsuid:" + bsuid);
        awaitAuditRows(event.path("eventId").asText(), 1);
        assertThat(jdbc.queryForObject("SELECT identity_hash FROM event_audit WHERE event_id = CAST(? AS uuid)",
                String.class, event.path("eventId").asText())).isEqualTo(new PhoneIdentity("").hash("bsuid:" + bsuid));
    }

    @Test
    void rawUtf8AndEscapedFormsOfOneMessageAreBothAcceptedAndReadAlike() throws Exception {
        String run = Fixtures.newRun();
        String expected = "¡Hola! 😀🎉 mañana a las 5/6 — café ☕ https://example.com/pedido";
        try (TopicProbe events = TopicProbe.open(EVENTS)) {
            assertThat(postSigned(Fixtures.load("unicode-raw-utf8", run)).statusCode()).isEqualTo(200);
            assertThat(postSigned(Fixtures.load("unicode-escaped", run)).statusCode()).isEqualTo(200);
            List<ConsumerRecord<String, byte[]>> records = events.await(r -> contains(r, run), 2, WAIT);

            assertThat(records).hasSize(2).allSatisfy(r -> {
                assertThat(json(r).path("payload").path("text").asText()).isEqualTo(expected);
                assertThat(json(r).path("customer").path("profileName").asText()).isEqualTo("José Muñoz");
            });
        }
    }

    @Test
    void anUnknownFieldIsKeptOnTheUnhandledTopic() throws Exception {
        String run = Fixtures.newRun();
        List<ConsumerRecord<String, byte[]>> kept = sendAndAwait(UNHANDLED, "unknown-field", run, 1);

        assertThat(kept).hasSize(1);
        JsonNode event = json(kept.get(0));
        assertThat(event.path("field").asText()).isEqualTo("automatic_events");
        assertThat(event.path("payload").path("value").path("automatic_events").get(0).path("event_name").asText())
                .isEqualTo("Purchase");
    }

    @ParameterizedTest(name = "{0} → dead letter {1}")
    @CsvSource({
            "bad-truncated, truncated", "bad-not-json, not_json", "bad-not-whatsapp-envelope, not_whatsapp_envelope",
            "bad-invalid-utf8, invalid_utf8", "bad-too-deep, too_deep", "bad-duplicate-keys, duplicate_key",
            "bad-trailing-garbage, not_json"})
    void aSignedButBrokenPayloadEndsInTheDeadLetterTopicWithItsBytesAndReason(String fixture, String reason)
            throws Exception {
        String run = Fixtures.newRun();
        byte[] body = Fixtures.load(fixture, run);
        try (TopicProbe dlq = TopicProbe.open(DLQ)) {
            assertThat(postSigned(body).statusCode()).as("signed bytes are always stored first").isEqualTo(200);
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> java.util.Arrays.equals(r.value(), body), 1, WAIT);

            assertThat(dead).hasSize(1);
            assertThat(TopicProbe.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo(reason);
            assertThat(TopicProbe.header(dead.get(0), "whatsapp-dlq-detail")).isNotBlank().doesNotContain(run);
            assertThat(TopicProbe.header(dead.get(0), "whatsapp-dlq-source-topic")).isEqualTo("whatsapp.webhooks.raw");
            io.github.wacrm.bridge.intake.EnvelopeHints hints = new io.github.wacrm.bridge.intake.EnvelopeHints();
            assertThat(dead.get(0).key()).as("the raw record's own key").isEqualTo(hints.recordKey(body, hints.wabaId(body)));
            assertThat(TopicProbe.header(dead.get(0), "whatsapp-dlq-source-partition")).as("as text").matches("[0-9]");
            assertThat(TopicProbe.header(dead.get(0), "whatsapp-dlq-source-offset")).as("as text").matches("[0-9]+");
            assertThat(TopicProbe.header(dead.get(0), "whatsapp-received-at")).isNotBlank();
        }
        // the partition is not blocked: the next good delivery still flows
        assertThat(sendAndAwaitEvents("message-text", Fixtures.newRun(), 1)).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private List<JsonNode> sendAndAwaitEvents(String fixture, String run, int count) throws Exception {
        return sendAndAwait(EVENTS, fixture, run, count).stream().map(InboundPipelineTest::json).toList();
    }

    /** Posts a signed fixture and waits for {@code count} records of this run on {@code topic}. */
    private List<ConsumerRecord<String, byte[]>> sendAndAwait(String topic, String fixture, String run, int count)
            throws Exception {
        try (TopicProbe probe = TopicProbe.open(topic)) {
            assertThat(postSigned(Fixtures.load(fixture, run)).statusCode()).isEqualTo(200);
            return probe.await(r -> contains(r, run), count, WAIT);
        }
    }

    private static boolean contains(ConsumerRecord<String, byte[]> record, String run) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        return value.contains(run) || value.contains(Fixtures.digits(run));
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int awaitAuditRows(String eventId, int expected) throws InterruptedException {
        return awaitCount("SELECT count(*) FROM event_audit WHERE event_id = CAST(? AS uuid)", eventId, expected);
    }

    /** The message's fact reaches the audit trail, and after a pause there is still exactly one row for it. */
    private void assertAuditedOnce(String wamid) throws InterruptedException {
        assertThat(awaitAuditRowsForMessage(wamid, 1)).isEqualTo(1);
        assertThat(settleAuditRowsForMessage(wamid)).isEqualTo(1);
    }

    private int awaitAuditRowsForMessage(String wamid, int expected) throws InterruptedException {
        return awaitCount("SELECT count(*) FROM event_audit WHERE message_id = ?", wamid, expected);
    }

    private int settleAuditRowsForMessage(String wamid) throws InterruptedException {
        Thread.sleep(1500);
        return jdbc.queryForObject("SELECT count(*) FROM event_audit WHERE message_id = ?", Integer.class, wamid);
    }

    private int awaitCount(String sql, String arg, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int count = 0;
        while (System.nanoTime() < deadline) {
            count = jdbc.queryForObject(sql, Integer.class, arg);
            if (count >= expected) {
                return count;
            }
            Thread.sleep(50);
        }
        return count;
    }
}
