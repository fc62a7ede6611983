package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.FactsTopic;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

/** From a signed webhook to records in the HubSpot emulator, through camel-http and the real rate limit and breaker. */
class HubSpotSyncTest extends BridgeIntegrationTest {

    private static final Duration SYNCED = Duration.ofSeconds(30);
    private static final String INBOUND = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-";
    private static boolean portalReady;
    private final HubSpotEmulator hubspot = DevServices.get().hubspot();
    private final HubSpotPortal portal = hubspot.portal();

    /** The shared portal starts empty: the setup command creates the properties, which starts the sink. */
    @BeforeEach
    void portalHasTheBridgesProperties() throws Exception {
        if (!portalReady) {
            HttpResponse<String> setup = postActuator("/actuator/hubspot");
            assertThat(setup.statusCode()).isEqualTo(200);
            assertThat(setup.body()).contains("\"ready\":true");
            portalReady = true;
        }
    }

    @AfterEach
    void healHubSpot() {
        hubspot.recover();
        portal.clearValidationRules();
    }

    @Test
    void textMessageBecomesContactCommunicationAndTicket() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("message-text", run)).statusCode()).isEqualTo(200);

        Record communication = awaitCommunication(INBOUND + run + "-text", c -> true);
        assertThat(communication.properties()).containsEntry("hs_communication_channel_type", "WHATS_APP")
                .containsEntry("hs_communication_logged_from", "CRM")
                .containsEntry("hs_communication_body", "Hi, is my order #4521 shipped yet?")
                .containsEntry("hs_timestamp", "2024-11-22T10:06:40Z")
                .containsEntry("whatsapp_direction", "inbound").containsEntry("whatsapp_message_type", "text")
                .containsEntry("whatsapp_business_phone_number_id", "106540352242922");
        Record contact = onlyContact("+16505551234");
        assertThat(contact.properties()).containsEntry("mobilephone", "+16505551234")
                .containsEntry("whatsapp_region", "US").containsEntry("whatsapp_profile_name", "Sheena Nelson")
                .containsKey("whatsapp_last_inbound_at");
        await().atMost(SYNCED).until(() -> portal.associated("communications", communication.id(), "tickets").size() == 1);
        assertThat(portal.associationTypes("communications", communication.id(), "contacts", contact.id()))
                .containsExactly(81);
        String ticketId = portal.associated("communications", communication.id(), "tickets").get(0);
        assertThat(portal.associationTypes("communications", communication.id(), "tickets", ticketId)).containsExactly(83);
        assertThat(portal.associationTypes("tickets", ticketId, "contacts", contact.id())).containsExactly(16);
        assertThat(openTickets("+16505551234")).singleElement().satisfies(ticket -> assertThat(ticket.properties())
                .containsEntry("hs_pipeline", "0").containsEntry("subject", "WhatsApp conversation")
                .containsEntry("whatsapp_business_phone_number_id", "106540352242922"));
    }

    @Test
    void theSameWebhookThreeTimesWritesOneOfEach() throws Exception {
        String run = Fixtures.newRun();
        byte[] body = Fixtures.load("message-text", run);
        for (int i = 0; i < 3; i++) {
            assertThat(postSigned(body).statusCode()).isEqualTo(200);
        }
        Record communication = awaitCommunication(INBOUND + run + "-text", c -> true);
        Thread.sleep(1500);
        assertThat(portal.find("communications", "whatsapp_message_id", INBOUND + run + "-text")).hasSize(1);
        assertThat(portal.find("contacts", "whatsapp_id", "+16505551234")).hasSize(1);
        assertThat(openTickets("+16505551234")).hasSize(1);
        assertThat(portal.associated("communications", communication.id(), "contacts")).hasSize(1);
    }

    @Test
    void mexicanNumberWithAndWithoutTheOneIsOneContact() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-mexico-521", run)).statusCode()).isEqualTo(200);
        assertThat(postSigned(Fixtures.load("customer-mexico-52", run)).statusCode()).isEqualTo(200);
        Record first = awaitCommunication(INBOUND + run + "-mx521", c -> true);
        Record second = awaitCommunication(INBOUND + run + "-mx52", c -> true);
        Record contact = onlyContact("+525512345678");
        await().atMost(SYNCED).until(() -> portal.associated("communications", second.id(), "contacts").size() == 1);
        assertThat(portal.associated("communications", first.id(), "contacts")).containsExactly(contact.id());
        assertThat(portal.associated("communications", second.id(), "contacts")).containsExactly(contact.id());
    }

    @Test
    void phonelessUserIsOneContactKeyedByBsuid() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-bsuid-only", run)).statusCode()).isEqualTo(200);
        awaitCommunication("wamid.HBgLBSUID-" + run + "-bsuid", c -> true);
        Record contact = onlyContact("US.13491208655302741918" + run);
        assertThat(contact.properties()).doesNotContainKey("mobilephone")
                .containsEntry("whatsapp_username", "@sheena." + run).containsEntry("firstname", "Sheena");
    }

    @Test
    void readBeforeDeliveredKeepsBothTimesAndTheFirstStatusCreatesTheCommunication() throws Exception {
        String run = Fixtures.newRun();
        String wamid = outboundWamid(run);
        assertThat(postSigned(Fixtures.load("status-read", run)).statusCode()).isEqualTo(200);
        Record communication = awaitCommunication(wamid, c -> c.properties().containsKey("whatsapp_read_at"));
        // HubSpot needs hs_timestamp to create a communication: sent again with it when HubSpot says so
        assertThat(communication.properties()).containsKey("hs_timestamp").containsEntry("whatsapp_direction", "outbound")
                .containsEntry("hs_communication_channel_type", "WHATS_APP");
        assertThat(postSigned(Fixtures.load("status-delivered", run)).statusCode()).isEqualTo(200);
        Record both = awaitCommunication(wamid, c -> c.properties().containsKey("whatsapp_delivered_at"));
        assertThat(both.properties()).containsKey("whatsapp_read_at")
                .containsEntry("hs_timestamp", communication.properties().get("hs_timestamp"));
    }

    @Test
    void failedStatusRecordsTheErrorCode() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("status-failed-131047", run)).statusCode()).isEqualTo(200);
        Record communication = awaitCommunication(outboundWamid(run), c -> c.properties().containsKey("whatsapp_failed_at"));
        assertThat(communication.properties()).containsEntry("whatsapp_error_code", "131047");
        assertThat(communication.properties().get("whatsapp_error_title")).isNotBlank();
    }

    @Test
    void aClosedTicketMeansTheNextMessageOpensANewOne() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-argentina-549", run)).statusCode()).isEqualTo(200);
        Record first = awaitCommunication(INBOUND + run + "-ar549", c -> true);
        await().atMost(SYNCED).until(() -> portal.associated("communications", first.id(), "tickets").size() == 1);
        String firstTicket = portal.associated("communications", first.id(), "tickets").get(0);

        String again = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-argentina-54", again)).statusCode()).isEqualTo(200);
        Record second = awaitCommunication(INBOUND + again + "-ar54", c -> true);
        await().atMost(SYNCED).until(() -> portal.associated("communications", second.id(), "tickets").size() == 1);
        assertThat(portal.associated("communications", second.id(), "tickets")).containsExactly(firstTicket);

        portal.edit("tickets", firstTicket, "hs_pipeline_stage", "4"); // an agent closes it
        // as once the open-ticket recheck has passed (within it the sink trusts the ticket it checked: docs/hubspot.md)
        jdbc.update("UPDATE crm_person_state SET case_checked_at = NULL WHERE crm = 'hubspot'");
        String third = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-argentina-549", third)).statusCode()).isEqualTo(200);
        Record next = awaitCommunication(INBOUND + third + "-ar549", c -> true);
        await().atMost(SYNCED).until(() -> portal.associated("communications", next.id(), "tickets").size() == 1);
        assertThat(portal.associated("communications", next.id(), "tickets")).doesNotContain(firstTicket);
        assertThat(openTickets("+5491123456789")).hasSize(1);
    }

    @Test
    void aKnownContactsNextMessageIsLinkedWithoutUpsertingTheContactOrReadingItsTicketAgain() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-mexico-52", run)).statusCode()).isEqualTo(200);
        Record first = awaitCommunication(INBOUND + run + "-mx52", c -> true);
        await().atMost(SYNCED).until(() -> portal.associated("communications", first.id(), "tickets").size() == 1);
        String contact = portal.associated("communications", first.id(), "contacts").get(0);
        String ticket = portal.associated("communications", first.id(), "tickets").get(0);
        hubspot.clearCalls();

        String again = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-mexico-52", again)).statusCode()).isEqualTo(200);
        Record second = awaitCommunication(INBOUND + again + "-mx52", c -> true);
        await().atMost(SYNCED).until(() -> portal.associated("communications", second.id(), "tickets").size() == 1);
        assertThat(portal.associated("communications", second.id(), "contacts")).containsExactly(contact);
        assertThat(portal.associated("communications", second.id(), "tickets")).containsExactly(ticket);
        assertThat(hubspot.calls()).extracting(HubSpotEmulator.Call::endpoint)
                .as("the contact unchanged and its ticket checked lately: neither written nor read again")
                .doesNotContain("contacts batch/upsert", "tickets batch/read");
    }

    @Test
    void anAgentsEditOfTheContactNameIsKept() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-brazil-with-ninth-digit", run)).statusCode()).isEqualTo(200);
        awaitCommunication(INBOUND + run + "-br13", c -> true);
        Record contact = onlyContact("+5511987654321");
        portal.edit("contacts", contact.id(), "firstname", "Edited by an agent");
        String again = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-brazil-without-ninth-digit", again)).statusCode()).isEqualTo(200);
        Record communication = awaitCommunication(INBOUND + again + "-br12", c -> true);
        await().atMost(SYNCED).until(() -> portal.associated("communications", communication.id(), "contacts")
                .contains(contact.id()));
        assertThat(onlyContact("+5511987654321").properties()).containsEntry("firstname", "Edited by an agent");
    }

    @Test
    void anOptOutSetsTheContactsStatusAndLeavesANote() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("user-preferences-marketing-stop", run)).statusCode()).isEqualTo(200);
        await().atMost(SYNCED).until(() -> "opted_out".equals(onlyContact("+16505551234").properties()
                .get("whatsapp_opt_in_status")));
        Record contact = onlyContact("+16505551234");
        await().atMost(SYNCED).until(() -> portal.find("notes", "hs_timestamp", "2024-11-22T10:11:40Z").stream()
                .anyMatch(note -> portal.associationTypes("notes", note.id(), "contacts", contact.id()).contains(202)));
    }

    @Test
    void everyRecordAppearsOnceAfterHubSpotComesBack() throws Exception {
        hubspot.goDown();
        String run = Fixtures.newRun();
        List<String> files = List.of("message-text", "message-image", "message-reaction", "message-location",
                "status-sent-with-pricing");
        for (String file : files) {
            assertThat(postSigned(Fixtures.load(file, run)).statusCode()).isEqualTo(200);
        }
        Thread.sleep(3000);
        assertThat(portal.find("communications", "whatsapp_message_id", INBOUND + run + "-text")).isEmpty();
        hubspot.recover();
        for (String suffix : List.of("text", "image", "reaction", "location")) {
            awaitCommunication(INBOUND + run + "-" + suffix, c -> true);
        }
        awaitCommunication(outboundWamid(run), c -> c.properties().containsKey("whatsapp_sent_at"));
        Thread.sleep(1000);
        for (String suffix : List.of("text", "image", "reaction", "location")) {
            assertThat(portal.find("communications", "whatsapp_message_id", INBOUND + run + "-" + suffix)).hasSize(1);
        }
    }

    @Test
    void a429StormEndsWithEveryRecordWrittenOnce() throws Exception {
        // six 429s in a row: the call waits 1, 2, … 6 s (each 429 is one answer to one call the bridge counted)
        hubspot.throttleNext(6);
        String run = Fixtures.newRun();
        List<String> files = List.of("message-text", "message-image", "message-video", "message-audio",
                "message-document", "status-sent-with-pricing");
        for (String file : files) {
            assertThat(postSigned(Fixtures.load(file, run)).statusCode()).isEqualTo(200);
        }
        for (String suffix : List.of("text", "image", "video", "audio", "document")) {
            awaitCommunication(INBOUND + run + "-" + suffix, c -> true);
        }
        awaitCommunication(outboundWamid(run), c -> c.properties().containsKey("whatsapp_sent_at"));
        for (String suffix : List.of("text", "image", "video", "audio", "document")) {
            assertThat(portal.find("communications", "whatsapp_message_id", INBOUND + run + "-" + suffix)).hasSize(1);
        }
        assertThat(hubspot.answers(429)).isGreaterThanOrEqualTo(6);
        assertThat(actuator("/actuator/prometheus").body())
                .containsPattern(metric("hubspot_api_calls_total", "outcome=\"throttled\""));
    }

    @Test
    void onlyTheInputsOfA207AreSentAgain() throws Exception {
        String run = Fixtures.newRun();
        String failing = INBOUND + run + "-image";
        portal.failInputTransiently("communications", failing, 1);
        List<String> files = List.of("message-text", "message-image", "message-video");
        for (String file : files) {
            assertThat(postSigned(Fixtures.load(file, run)).statusCode()).isEqualTo(200);
        }
        for (String suffix : List.of("text", "image", "video")) {
            awaitCommunication(INBOUND + run + "-" + suffix, c -> true);
        }
        assertThat(portal.upsertInputs("communications", failing)).isEqualTo(2);
        assertThat(portal.upsertInputs("communications", INBOUND + run + "-text")).isEqualTo(1);
        assertThat(portal.upsertInputs("communications", INBOUND + run + "-video")).isEqualTo(1);
        assertThat(actuator("/actuator/prometheus").body())
                .containsPattern(metric("hubspot_records_total", "result=\"retried\""));
    }

    @Test
    void serverErrorsAreSentAgainWithBackoff() throws Exception {
        hubspot.failNext(2, 502);
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("message-sticker", run)).statusCode()).isEqualTo(200);
        awaitCommunication(INBOUND + run + "-sticker", c -> true);
        assertThat(actuator("/actuator/prometheus").body())
                .containsPattern(metric("hubspot_api_calls_total", "outcome=\"unavailable\""));
    }

    @Test
    void dailyLimitOpensTheBreakerRaisesTheAlertAndLosesNothing() throws Exception {
        hubspot.spendDailyLimit();
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("message-button", run)).statusCode()).isEqualTo(200);
        await().atMost(SYNCED).until(() -> actuator("/actuator/prometheus").body(),
                body -> body.matches("(?s).*hubspot_daily_limit_reached_total(\\{[^}]*\\})? [1-9].*")
                        && body.contains("hubspot_circuit_breaker_state{state=\"open\"} 1"));
        hubspot.recover();
        awaitCommunication(INBOUND + run + "-button", c -> true, Duration.ofSeconds(90));
    }

    @Test
    void aRefusedTokenIsReportedAndNotRetriedInALoop() throws Exception {
        hubspot.refuseToken();
        hubspot.clearCalls();
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("message-interactive-button-reply", run)).statusCode()).isEqualTo(200);
        await().atMost(SYNCED).until(() -> actuator("/actuator/prometheus").body(),
                body -> body.matches("(?s).*hubspot_api_calls_total\\{[^}]*outcome=\"unauthorized\"[^}]*\\} [1-9].*"));
        Thread.sleep(3000);
        // the breaker lets one call through per open period (2 s in tests), not a stream of them
        assertThat(hubspot.answers(401)).isBetween(1L, 4L);
        hubspot.recover();
        awaitCommunication(INBOUND + run + "-interactive-button", c -> true, Duration.ofSeconds(90));
    }

    @Test
    void aRecordHubSpotRefusesGoesToTheDeadLetterTopicTheOthersAreWrittenAndAReplayWritesIt() throws Exception {
        String run = Fixtures.newRun();
        portal.addValidationRule(values -> String.valueOf(values.get("hs_communication_body")).contains("REJECT-" + run));
        byte[] refused = new String(Fixtures.load("message-text", run), StandardCharsets.UTF_8)
                .replace("Hi, is my order #4521 shipped yet?", "REJECT-" + run)
                .replace("-" + run + "-text", "-" + run + "-refused").getBytes(StandardCharsets.UTF_8);
        try (TopicProbe dlq = TopicProbe.open("whatsapp.hubspot.dlq")) {
            assertThat(postSigned(refused).statusCode()).isEqualTo(200);
            assertThat(postSigned(Fixtures.load("message-image", run)).statusCode()).isEqualTo(200);
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains(run + "-refused"), 1, SYNCED);
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo("hubspot_rejected");
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-detail")).contains("VALIDATION_ERROR")
                    .contains("communications batch/upsert");
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-source-topic")).isEqualTo("whatsapp.facts");
            assertThat(dead.get(0).key()).as("the customer's key, kept").isEqualTo("phone:+16505551234");
        }
        awaitCommunication(INBOUND + run + "-image", c -> true);
        assertThat(portal.find("communications", "whatsapp_message_id", INBOUND + run + "-refused")).isEmpty();

        portal.clearValidationRules();
        replayDeadLetters("hubspot");
        awaitCommunication(INBOUND + run + "-refused", c -> true);
    }

    @Test
    void aBatchHubSpotRefusesWholeWithoutNamingTheInputLosesOnlyTheBadFact() throws Exception {
        // HubSpot answers some validation failures with a 400 for the whole call that names no input: the sink halves
        // the call until the refused input stands alone, so its batch-mates are written and only it is dead-lettered
        String run = Fixtures.newRun();
        portal.answerInvalidBatches(HubSpotPortal.InvalidBatchAnswer.WHOLE_CALL_UNNAMED);
        portal.addValidationRule(values -> String.valueOf(values.get("hs_communication_body")).contains("REJECT-" + run));
        byte[] refused = new String(Fixtures.load("message-text", run), StandardCharsets.UTF_8)
                .replace("Hi, is my order #4521 shipped yet?", "REJECT-" + run)
                .replace("-" + run + "-text", "-" + run + "-refused").getBytes(StandardCharsets.UTF_8);
        List<String> others = List.of("message-image", "message-location", "message-reaction", "message-sticker");
        long refusedWhole = hubspot.answers(400);
        try (TopicProbe dlq = TopicProbe.open("whatsapp.hubspot.dlq")) {
            assertThat(postSigned(refused).statusCode()).isEqualTo(200);
            for (String other : others) {
                assertThat(postSigned(Fixtures.load(other, run)).statusCode()).isEqualTo(200);
            }
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains(run + "-refused"), 1, SYNCED);
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-detail")).contains("VALIDATION_ERROR");
            assertThat(dlq.settle(r -> new String(r.value(), StandardCharsets.UTF_8).contains(run), Duration.ofSeconds(2)))
                    .as("only the refused fact").hasSize(1);
        }
        awaitCommunication(INBOUND + run + "-image", c -> true);
        awaitCommunication(INBOUND + run + "-sticker", c -> true);
        assertThat(portal.find("communications", "whatsapp_message_id", INBOUND + run + "-refused")).isEmpty();
        assertThat(hubspot.answers(400)).as("calls refused whole").isGreaterThan(refusedWhole);
    }

    @Test
    void aBatchHubSpotRefusesWholeNamingTheFirstBadInputCostsOneRefusalPerBadInput() throws Exception {
        // a 400 for the whole call that names the first input it refused: that input is dead-lettered and the rest of
        // the call is sent again at once, so two bad inputs cost two refused calls, whatever the batch held
        String run = Fixtures.newRun();
        portal.answerInvalidBatches(HubSpotPortal.InvalidBatchAnswer.WHOLE_CALL_NAMING_FIRST);
        portal.addValidationRule(values -> String.valueOf(values.get("hs_communication_body")).contains("REJECT-" + run));
        List<String> others = List.of("message-image", "message-location", "message-reaction", "message-sticker");
        long refusedWhole = hubspot.answers(400);
        try (TopicProbe dlq = TopicProbe.open("whatsapp.hubspot.dlq")) {
            for (String bad : List.of("first", "second")) {
                byte[] refused = new String(Fixtures.load("message-text", run), StandardCharsets.UTF_8)
                        .replace("Hi, is my order #4521 shipped yet?", "REJECT-" + run)
                        .replace("-" + run + "-text", "-" + run + "-refused-" + bad).getBytes(StandardCharsets.UTF_8);
                assertThat(postSigned(refused).statusCode()).isEqualTo(200);
            }
            for (String other : others) {
                assertThat(postSigned(Fixtures.load(other, run)).statusCode()).isEqualTo(200);
            }
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains(run + "-refused-"), 2, SYNCED);
            assertThat(dead).allSatisfy(r -> assertThat(FactsTopic.header(r, "whatsapp-dlq-detail"))
                    .contains("VALIDATION_ERROR").contains("HTTP 400"));
            assertThat(dlq.settle(r -> new String(r.value(), StandardCharsets.UTF_8).contains(run), Duration.ofSeconds(2)))
                    .as("only the refused facts").hasSize(2);
        }
        for (String other : List.of("-image", "-location", "-sticker")) {
            awaitCommunication(INBOUND + run + other, c -> true);
        }
        assertThat(hubspot.answers(400) - refusedWhole).as("one refused call per bad input").isEqualTo(2);
    }

    @Test
    void aFactWithAnUnreadableTimeIsDeadLetteredAlone() throws Exception {
        String run = Fixtures.newRun();
        try (TopicProbe dlq = TopicProbe.open("whatsapp.hubspot.dlq")) {
            FactsTopic.produce(FactsTopic.userPreference(run, "not-a-time", "bsuid:" + run));
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains("k-" + run), 1, SYNCED);
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo("unreadable_fact");
        }
    }

    @Test
    void aBatchThatFailsUnexpectedlyIsDeadLetteredAndTheSinkMovesOn() throws Exception {
        String run = Fixtures.newRun();
        try (TopicProbe dlq = TopicProbe.open("whatsapp.hubspot.dlq")) {
            FactsTopic.produce(FactsTopic.poison(run));
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains("k-" + run), 1, SYNCED);
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo("processing_failed");
        }
        assertThat(postSigned(Fixtures.load("message-text", run)).statusCode()).isEqualTo(200);
        awaitCommunication(INBOUND + run + "-text", c -> true);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private Record awaitCommunication(String wamid, Predicate<Record> condition) {
        return awaitCommunication(wamid, condition, SYNCED);
    }

    private Record awaitCommunication(String wamid, Predicate<Record> condition, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> portal.find("communications", "whatsapp_message_id", wamid),
                        found -> found.size() == 1 && condition.test(found.get(0))).get(0);
    }

    @Test
    void aNewContactsNamesAreWrittenEvenWhenTheirFollowUpFailsWithItsBatch() throws Exception {
        String run = Fixtures.newRun();
        String phone = "165057" + String.format("%05d", (int) (Math.random() * 100_000));
        // more failures than one call's own attempts: the batch fails after HubSpot created the contact ("new": true),
        // and its retry sees "new": false
        hubspot.failNext("/batch/update", 8, 503);
        byte[] body = new String(Fixtures.load("message-text", run), StandardCharsets.UTF_8)
                .replace("16505551234", phone).getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned(body).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> portal.find("contacts", "whatsapp_id", "+" + phone).stream()
                .anyMatch(c -> "Sheena".equals(c.properties().get("firstname"))));
        assertThat(onlyContact("+" + phone).properties()).containsEntry("lastname", "Nelson");
        // the owed values are forgotten after HubSpot's answer, a moment after the portal shows them
        String contactId = onlyContact("+" + phone).id();
        await("nothing owed any more").atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM hubspot_pending_create_values WHERE object_id = ?", Integer.class, contactId) == 0);
    }

    private Record onlyContact(String whatsappId) {
        List<Record> contacts = portal.find("contacts", "whatsapp_id", whatsappId);
        assertThat(contacts).hasSize(1);
        return contacts.get(0);
    }

    /** The contact's tickets the bridge opened that are not in a closed stage. */
    private List<Record> openTickets(String whatsappId) {
        return portal.find("tickets", "whatsapp_id", whatsappId).stream()
                .filter(t -> !"4".equals(t.properties().get("hs_pipeline_stage"))).toList();
    }

    /** The wamid of the business's message in the status fixtures. */
    private static String outboundWamid(String run) {
        return "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-" + run + "-out";
    }
}
