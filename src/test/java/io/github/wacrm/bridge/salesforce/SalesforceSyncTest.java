package io.github.wacrm.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceOrg;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.FactsTopic;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.TopicProbe;

/** From a signed webhook to records in the Salesforce emulator, through the real camel-salesforce component. */
class SalesforceSyncTest extends BridgeIntegrationTest {

    private static final Duration SYNCED = Duration.ofSeconds(30);
    /** Configured as a sales number (conversations in lead mode) by the shared test context. */
    static final String SALES_NUMBER = BridgeIntegrationTest.SALES_PHONE_NUMBER_ID;
    private final SalesforceEmulator salesforce = DevServices.get().salesforce();

    @AfterEach
    void healSalesforce() {
        salesforce.recover();
        salesforce.latency(0);
        salesforce.org().clearValidationRules();
        salesforce.org().injectLockErrors(0);
    }

    @Test
    void textMessageBecomesContactMessageAndOpenCase() throws Exception {
        String run = Fixtures.newRun();
        String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text";
        assertThat(postSigned(Fixtures.load("message-text", run)).statusCode()).isEqualTo(200);

        Map<String, Object> message = awaitOne("SELECT Id, Direction__c, Message_Type__c, Body__c, Status__c, "
                + "Contact__c, Case__c, Business_Phone_Number_Id__c, Message_Timestamp__c, Contact__r.WhatsApp_Id__c "
                + "FROM WhatsApp_Message__c WHERE Wamid__c = '" + wamid + "'");
        assertThat(message).containsEntry("Direction__c", "Inbound").containsEntry("Message_Type__c", "text")
                .containsEntry("Body__c", "Hi, is my order #4521 shipped yet?").containsEntry("Status__c", "Received")
                .containsEntry("Business_Phone_Number_Id__c", "106540352242922")
                .containsEntry("Message_Timestamp__c", "2024-11-22T10:06:40.000+0000")
                .hasEntrySatisfying("Contact__r", parent -> assertThat((Map<String, Object>) parent)
                        .containsEntry("WhatsApp_Id__c", "+16505551234"));

        Map<String, Object> contact = one("SELECT Id, LastName, WhatsApp_E164__c, WhatsApp_Region__c, "
                + "WhatsApp_Profile_Name__c, WhatsApp_Last_Inbound_At__c FROM Contact WHERE WhatsApp_Id__c = '+16505551234'");
        assertThat(contact.get("Id")).isEqualTo(message.get("Contact__c"));
        assertThat(contact).containsEntry("WhatsApp_E164__c", "+16505551234").containsEntry("WhatsApp_Region__c", "US")
                .containsEntry("WhatsApp_Profile_Name__c", "Sheena Nelson").containsEntry("LastName", "Sheena Nelson");
        assertThat(contact.get("WhatsApp_Last_Inbound_At__c")).isNotNull();

        List<Map<String, Object>> openCases = salesforce.query("SELECT Id, Origin, Subject, ContactId FROM Case "
                + "WHERE WhatsApp_Id__c = '+16505551234' AND IsClosed = false");
        assertThat(openCases).hasSize(1);
        assertThat(openCases.get(0)).containsEntry("Id", message.get("Case__c")).containsEntry("Origin", "WhatsApp")
                .containsEntry("ContactId", contact.get("Id"));
    }

    @Test
    void theSameWebhookThreeTimesWritesOneOfEach() throws Exception {
        String run = Fixtures.newRun();
        byte[] body = Fixtures.load("message-text", run);
        for (int i = 0; i < 3; i++) {
            assertThat(postSigned(body).statusCode()).isEqualTo(200);
        }
        String wamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text";
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = '" + wamid + "'");
        Thread.sleep(1500);
        assertThat(salesforce.query("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = '" + wamid + "'")).hasSize(1);
        assertThat(salesforce.query("SELECT Id FROM Contact WHERE WhatsApp_Id__c = '+16505551234'")).hasSize(1);
        assertThat(salesforce.query("SELECT Id FROM Case WHERE WhatsApp_Id__c = '+16505551234' AND IsClosed = false"))
                .hasSize(1);
    }

    @Test
    void openCasesAnsweredInSeveralPagesAreAllFoundSoNoSecondCaseIsOpened() throws Exception {
        String first = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("batch-several-entries-and-numbers", first)).statusCode()).isEqualTo(200);
        Set<Object> cases = casesOf(first);
        // as after the open-Case recheck interval: the sink asks again
        jdbc.update("DELETE FROM crm_person_state WHERE crm = 'salesforce'");
        // Salesforce answers a query in batches (2,000 rows by default) and the rest through nextRecordsUrl
        salesforce.queryBatchSize(1);
        long pagesBefore = salesforce.callsByOperation().getOrDefault("query_more", 0L);
        String second = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("batch-several-entries-and-numbers", second)).statusCode()).isEqualTo(200);
        assertThat(casesOf(second)).as("the same open Cases").isEqualTo(cases);
        assertThat(salesforce.callsByOperation().getOrDefault("query_more", 0L)).isGreaterThan(pagesBefore);
    }

    @Test
    void aKnownPersonsNextMessageGoesToTheirCaseWithoutAQueryAndWithoutWritingTheirContactAgain() throws Exception {
        String first = Fixtures.newRun();
        // a customer of this test alone: its values and their clocks are no other test's
        String customer = "1650557" + Fixtures.digits(first).substring(0, 4);
        assertThat(postSigned(as(customer, Fixtures.load("message-text", first))).statusCode()).isEqualTo(200);
        Map<String, Object> firstMessage = awaitOne("SELECT Id, Case__c FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + first + "-text'");
        Map<String, Object> contact = one("SELECT Id, LastModifiedDate FROM Contact WHERE WhatsApp_Id__c = '+" + customer + "'");
        long queries = salesforce.callsByOperation().getOrDefault("query", 0L);

        String second = Fixtures.newRun();
        assertThat(postSigned(as(customer, Fixtures.load("message-text", second))).statusCode()).isEqualTo(200);
        Map<String, Object> secondMessage = awaitOne("SELECT Id, Case__c FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + second + "-text'");
        assertThat(secondMessage.get("Case__c")).as("the Case the sink knows").isEqualTo(firstMessage.get("Case__c"));
        assertThat(salesforce.callsByOperation().getOrDefault("query", 0L)).as("no open-Case query").isEqualTo(queries);
        assertThat(one("SELECT Id, LastModifiedDate FROM Contact WHERE WhatsApp_Id__c = '+" + customer + "'"))
                .as("the Contact, unchanged but for a last inbound time within the step, not written again")
                .isEqualTo(contact);

        // a changed value (the profile name, from a later message) is written at once
        String third = Fixtures.newRun();
        byte[] renamed = new String(as(customer, Fixtures.load("message-text", third)), StandardCharsets.UTF_8)
                .replace("Sheena Nelson", "Sheena N. Nelson")
                .replace("\"1732270000\"", "\"" + java.time.Instant.now().getEpochSecond() + "\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned(renamed).statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(SYNCED).until(() -> one("SELECT WhatsApp_Profile_Name__c FROM Contact "
                + "WHERE WhatsApp_Id__c = '+" + customer + "'").get("WhatsApp_Profile_Name__c"), "Sheena N. Nelson"::equals);
    }

    private static byte[] as(String customer, byte[] delivery) {
        return new String(delivery, StandardCharsets.UTF_8).replace("16505551234", customer)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The Cases the three inbound messages of the batch fixture point at, once all three are written. */
    private Set<Object> casesOf(String run) {
        List<String> wamids = List.of("wamid.BATCH-" + run + "-1", "wamid.BATCH-" + run + "-2", "wamid.BATCH-" + run + "-3");
        String in = wamids.stream().map(w -> "'" + w + "'").collect(java.util.stream.Collectors.joining(","));
        List<Map<String, Object>> messages = org.awaitility.Awaitility.await().atMost(SYNCED).until(
                () -> salesforce.query("SELECT Id, Case__c FROM WhatsApp_Message__c WHERE Wamid__c IN (" + in + ")"),
                found -> found.size() == 3 && found.stream().allMatch(m -> m.get("Case__c") != null));
        return new java.util.HashSet<>(messages.stream().map(m -> m.get("Case__c")).toList());
    }

    @Test
    void aQualityUpdateNamingTheNumberOnlyByItsDisplayNumberLandsAndAMessageLinksItsId() throws Exception {
        String run = Fixtures.newRun();
        String display = "1555" + Fixtures.digits(run);
        String phoneNumberId = "9" + Fixtures.digits(run);
        // as Meta sends it: display_phone_number, event, current_limit, and no phone_number_id
        assertThat(postSigned(Fixtures.load("phone-number-quality-update", run)).statusCode()).isEqualTo(200);
        Map<String, Object> number = awaitOne("SELECT Id, Quality_Event__c, Messaging_Tier__c, Phone_Number_Id__c "
                + "FROM WhatsApp_Phone_Number__c WHERE Phone_Number_E164__c = '+" + display + "'");
        assertThat(number).containsEntry("Quality_Event__c", "FLAGGED").containsEntry("Messaging_Tier__c", "TIER_1K")
                .containsEntry("Phone_Number_Id__c", null);

        // a message on that number carries its phone-number id in the metadata: the same record gets it
        byte[] message = new String(Fixtures.load("message-text", run), StandardCharsets.UTF_8)
                .replace("\"15550783881\"", "\"" + display + "\"").replace("106540352242922", phoneNumberId)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned(message).statusCode()).isEqualTo(200);
        awaitOne("SELECT Id FROM WhatsApp_Phone_Number__c WHERE Phone_Number_Id__c = '" + phoneNumberId + "'");
        assertThat(salesforce.query("SELECT Id, Quality_Event__c, Phone_Number_E164__c FROM WhatsApp_Phone_Number__c "
                + "WHERE Phone_Number_E164__c = '+" + display + "'")).singleElement()
                .satisfies(n -> assertThat(n).containsEntry("Id", number.get("Id")).containsEntry("Quality_Event__c", "FLAGGED"));
    }

    @Test
    void mexicanNumberWithAndWithoutTheOneIsOneContact() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-mexico-521", run)).statusCode()).isEqualTo(200);
        assertThat(postSigned(Fixtures.load("customer-mexico-52", run)).statusCode()).isEqualTo(200);
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-mx521'");
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-mx52'");
        List<Map<String, Object>> contacts = salesforce.query("SELECT Id, WhatsApp_E164__c FROM Contact "
                + "WHERE WhatsApp_E164__c = '+525512345678'");
        assertThat(contacts).hasSize(1);
        assertThat(salesforce.query("SELECT Id FROM WhatsApp_Message__c WHERE Contact__c = '" + contacts.get(0).get("Id")
                + "' AND Customer_WhatsApp_Id__c = '+525512345678'")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void phonelessUserIsOneContactKeyedByBsuid() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-bsuid-only", run)).statusCode()).isEqualTo(200);
        String bsuid = "US.13491208655302741918" + run;
        Map<String, Object> message = awaitOne("SELECT Id, Contact__c FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLBSUID-" + run + "-bsuid'");
        List<Map<String, Object>> contacts = salesforce.query("SELECT Id, WhatsApp_E164__c FROM Contact WHERE "
                + "WhatsApp_Id__c = '" + bsuid + "'");
        assertThat(contacts).hasSize(1);
        assertThat(contacts.get(0).get("WhatsApp_E164__c")).isNull();
        assertThat(message.get("Contact__c")).isEqualTo(contacts.get(0).get("Id"));
    }

    @Test
    void readBeforeDeliveredStaysRead() throws Exception {
        String run = Fixtures.newRun();
        String wamid = outboundWamid(run);
        assertThat(postSigned(Fixtures.load("status-read", run)).statusCode()).isEqualTo(200);
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = '" + wamid + "' AND Status__c = 'Read'");
        assertThat(postSigned(Fixtures.load("status-delivered", run)).statusCode()).isEqualTo(200);
        Map<String, Object> message = awaitOne("SELECT Id, Status__c, Read_At__c, Delivered_At__c FROM WhatsApp_Message__c "
                + "WHERE Wamid__c = '" + wamid + "' AND Delivered_At__c != null");
        assertThat(message.get("Status__c")).isEqualTo("Read");
        assertThat(message.get("Read_At__c")).isNotNull();
    }

    @Test
    void failedStatusRecordsTheErrorCode() throws Exception {
        String run = Fixtures.newRun();
        String wamid = outboundWamid(run);
        assertThat(postSigned(Fixtures.load("status-failed-131047", run)).statusCode()).isEqualTo(200);
        Map<String, Object> message = awaitOne("SELECT Id, Status__c, Failure_Code__c, Failure_Title__c, Failed_At__c "
                + "FROM WhatsApp_Message__c WHERE Wamid__c = '" + wamid + "'");
        assertThat(message.get("Status__c")).isEqualTo("Failed");
        assertThat(message.get("Failure_Code__c")).isEqualTo(131047);
        assertThat((String) message.get("Failure_Title__c")).isNotBlank();
    }

    @Test
    void approvedTemplateIsUpsertedOnItsMetaId() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("template-status-approved", run)).statusCode()).isEqualTo(200);
        Map<String, Object> template = awaitOne("SELECT Id, Status__c, Template_Name__c, Language__c FROM "
                + "WhatsApp_Template__c WHERE Template_Id__c = '1" + Fixtures.digits(run) + "690'");
        assertThat(template.get("Status__c")).isEqualTo("APPROVED");
        assertThat(template.get("Template_Name__c")).isNotNull();
    }

    @Test
    void everyRecordAppearsOnceAfterSalesforceComesBack() throws Exception {
        salesforce.goDown();
        String run = Fixtures.newRun();
        List<String> files = List.of("message-text", "message-image", "message-reaction",
                "message-location", "status-sent-with-pricing", "template-status-rejected");
        for (String file : files) {
            assertThat(postSigned(Fixtures.load(file, run)).statusCode()).isEqualTo(200);
        }
        Thread.sleep(3000);
        assertThat(salesforce.query("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text'")).isEmpty();
        salesforce.recover();
        for (String suffix : List.of("text", "image", "reaction", "location")) {
            awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                    + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-" + suffix + "'");
        }
        awaitOne("SELECT Id FROM WhatsApp_Template__c WHERE Template_Id__c = '1" + Fixtures.digits(run) + "691' "
                + "AND Status__c = 'REJECTED'");
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'" + outboundWamid(run) + "' AND Sent_At__c != null");
    }


    @Test
    void aRecordSalesforceRefusesGoesToTheDeadLetterTopicTheOthersAreWrittenAndAReplayWritesIt() throws Exception {
        String run = Fixtures.newRun();
        salesforce.org().addValidationRule(new SalesforceOrg.ValidationRule("WhatsApp_Message__c",
                r -> String.valueOf(r.get("Body__c")).contains("REJECT-" + run), "Bodies like this are not allowed"));
        byte[] refused = new String(Fixtures.load("message-text", run), StandardCharsets.UTF_8)
                .replace("Hi, is my order #4521 shipped yet?", "REJECT-" + run)
                .replace("-" + run + "-text", "-" + run + "-refused").getBytes(StandardCharsets.UTF_8);
        try (TopicProbe dlq = TopicProbe.open("whatsapp.salesforce.dlq")) {
            assertThat(postSigned(refused).statusCode()).isEqualTo(200);
            assertThat(postSigned(Fixtures.load("message-image", run)).statusCode()).isEqualTo(200);
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains(run + "-refused"), 1, SYNCED);
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo("salesforce_rejected");
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-detail")).contains("FIELD_CUSTOM_VALIDATION_EXCEPTION")
                    .contains("WhatsApp_Message__c");
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-source-topic")).isEqualTo("whatsapp.facts");
            assertThat(dead.get(0).key()).as("the customer's key, kept").isEqualTo("phone:+16505551234");
        }
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-image'");
        assertThat(salesforce.query("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-refused'")).isEmpty();

        // the admin fixes the validation rule, then an operator replays the dead letters
        salesforce.org().clearValidationRules();
        try (TopicProbe replay = TopicProbe.open("whatsapp.salesforce.replay")) {
            replayDeadLetters("salesforce");
            List<ConsumerRecord<String, byte[]>> replayed = replay.await(r -> new String(r.value(),
                    StandardCharsets.UTF_8).contains(run + "-refused"), 1, SYNCED);
            assertThat(replayed.get(0).key()).as("replayed beside the customer's live facts")
                    .isEqualTo("phone:+16505551234");
        }
        awaitOne("SELECT Id, Body__c FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-refused'");
    }

    @Test
    void anExpiredSessionIsRenewedAndNothingIsLost() throws Exception {
        long logins = salesforce.logins();
        salesforce.expireSessions();
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("message-text", run)).statusCode()).isEqualTo(200);
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text'");
        assertThat(salesforce.logins()).isGreaterThan(logins);
    }

    @Test
    void lockedRowsAreSentAgain() throws Exception {
        salesforce.org().injectLockErrors(2);
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("message-video", run)).statusCode()).isEqualTo(200);
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-video'");
        assertThat(actuator("/actuator/prometheus").body()).containsPattern(metric("salesforce_records_total", "result=\"locked\""));
    }

    @Test
    void dailyLimitOpensTheBreakerRaisesTheAlertAndLosesNothing() throws Exception {
        salesforce.exhaustDailyLimit();
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("message-sticker", run)).statusCode()).isEqualTo(200);
        await().atMost(SYNCED).until(() -> actuator("/actuator/prometheus").body(),
                body -> body.matches("(?s).*salesforce_request_limit_exceeded_total(\\{[^}]*\\})? [1-9].*")
                        && body.contains("salesforce_circuit_breaker_state{state=\"open\"} 1"));
        salesforce.recover();
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-sticker'", Duration.ofSeconds(90));
    }

    @Test
    void salesNumbersKeepTheCustomerAsALeadWithoutACase() throws Exception {
        String run = Fixtures.newRun();
        byte[] sales = new String(Fixtures.load("customer-argentina-549", run), StandardCharsets.UTF_8)
                .replace("106540352242922", SALES_NUMBER).getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned(sales).statusCode()).isEqualTo(200);
        Map<String, Object> message = awaitOne("SELECT Id, Lead__c, Contact__c, Case__c FROM WhatsApp_Message__c "
                + "WHERE Wamid__c = 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-ar549'");
        assertThat(message.get("Lead__c")).isNotNull();
        assertThat(message.get("Contact__c")).isNull();
        assertThat(message.get("Case__c")).isNull();
        assertThat(salesforce.query("SELECT Id, Company FROM Lead WHERE WhatsApp_Id__c = '+5491123456789'"))
                .singleElement().satisfies(lead -> assertThat(lead.get("Company")).isEqualTo("WhatsApp"));
    }

    @Test
    void anAdminsEditOfTheContactNameIsKept() throws Exception {
        String run = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-brazil-with-ninth-digit", run)).statusCode()).isEqualTo(200);
        Map<String, Object> contact = awaitOne("SELECT Id, LastName, WhatsApp_Id__c FROM Contact WHERE "
                + "WhatsApp_E164__c = '+5511987654321'");
        salesforce.org().update("Contact", (String) contact.get("Id"), Map.of("LastName", "Edited by an admin"));
        String again = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("customer-brazil-without-ninth-digit", again)).statusCode()).isEqualTo(200);
        Map<String, Object> message = awaitOne("SELECT Id, Contact__c FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + again + "-br12'");
        assertThat(message.get("Contact__c")).isEqualTo(contact.get("Id"));
        assertThat(one("SELECT Id, LastName FROM Contact WHERE Id = '" + contact.get("Id") + "'").get("LastName"))
                .isEqualTo("Edited by an admin");
    }

    @Test
    void aFactWithAnUnreadableTimeIsDeadLetteredAlone() throws Exception {
        String run = Fixtures.newRun();
        try (TopicProbe dlq = TopicProbe.open("whatsapp.salesforce.dlq")) {
            FactsTopic.produce(FactsTopic.userPreference(run, "not-a-time", "bsuid:" + run));
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains("k-" + run), 1, SYNCED);
            assertThat(dead).isNotEmpty();
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo("unreadable_fact");
        }
    }

    @Test
    void aBatchThatFailsUnexpectedlyIsDeadLetteredAndTheSinkMovesOn() throws Exception {
        String run = Fixtures.newRun();
        // a hashed identity longer than the customer_window column: PostgreSQL refuses the batch's window update
        String fact = FactsTopic.poison(run);
        try (TopicProbe dlq = TopicProbe.open("whatsapp.salesforce.dlq")) {
            FactsTopic.produce(fact);
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                    .contains("k-" + run), 1, SYNCED);
            assertThat(dead).isNotEmpty();
            assertThat(FactsTopic.header(dead.get(0), "whatsapp-dlq-reason")).isEqualTo("processing_failed");
        }
        assertThat(postSigned(Fixtures.load("message-text", run)).statusCode()).isEqualTo(200);
        awaitOne("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = "
                + "'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text'");
    }

    /** The wamid of the business's message in the status fixtures. */
    private static String outboundWamid(String run) {
        return "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-" + run + "-out";
    }

    private Map<String, Object> awaitOne(String soql) {
        return awaitOne(soql, SYNCED);
    }

    private Map<String, Object> awaitOne(String soql, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> salesforce.query(soql),
                rows -> rows.size() == 1).get(0);
    }

    private Map<String, Object> one(String soql) {
        List<Map<String, Object>> rows = salesforce.query(soql);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
