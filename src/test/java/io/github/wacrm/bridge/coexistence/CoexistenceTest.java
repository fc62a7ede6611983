package io.github.wacrm.bridge.coexistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;
import io.github.wacrm.bridge.support.BothCrmsTest;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * A number shared with the WhatsApp Business app: what staff send from the app, its edits and deletions, and the chat
 * history shared at onboarding reach both CRMs as message records on the right person, once, without Cases or
 * tickets for old conversations.
 */
class CoexistenceTest extends BothCrmsTest {

    private static final Duration WRITTEN = Duration.ofSeconds(60);
    private static final String ECHO = "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0N0FCNjMA-";

    @Test
    void aMessageSentFromTheAppIsAnOutboundRecordOnTheCustomerWithItsStatusesEditAndDeletion() throws Exception {
        String run = Fixtures.newRun();
        String wamid = ECHO + run + "-echo";
        String customer = "+1" + Fixtures.digits(run);
        assertThat(postSigned(Fixtures.load("echo-text", run)).statusCode()).isEqualTo(200);

        Map<String, Object> message = awaitMessage(wamid, m -> true);
        assertThat(message).containsEntry("Direction__c", "Outbound")
                .containsEntry("Requested_By__c", "whatsapp-business-app")
                .containsEntry("Message_Timestamp__c", "2025-02-12T00:43:44.000+0000");
        assertThat((String) message.get("Body__c")).startsWith("Here's the info you requested!");
        assertThat(message.get("Contact__c")).isEqualTo(salesforce.query("SELECT Id FROM Contact WHERE WhatsApp_Id__c = '"
                + customer + "'").get(0).get("Id"));
        Record communication = awaitCommunication(wamid, c -> true);
        assertThat(communication.properties()).containsEntry("whatsapp_direction", "outbound");

        // Meta's statuses of the message, as for any message the business sent
        byte[] read = new String(Fixtures.load("status-read", run), StandardCharsets.UTF_8)
                .replace("wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-" + run + "-out", wamid)
                .replace("\"16505551234\"", "\"1" + Fixtures.digits(run) + "\"").getBytes(StandardCharsets.UTF_8);
        assertThat(postSigned(read).statusCode()).isEqualTo(200);
        awaitMessage(wamid, m -> m.get("Read_At__c") != null);

        assertThat(postSigned(Fixtures.load("echo-edit", run)).statusCode()).isEqualTo(200);
        Map<String, Object> edited = awaitMessage(wamid, m -> String.valueOf(m.get("Body__c")).contains("corrected"));
        assertThat(edited).containsEntry("Message_Timestamp__c", "2025-02-12T00:43:44.000+0000");
        awaitCommunication(wamid, c -> c.properties().get("hs_communication_body").contains("corrected"));

        assertThat(postSigned(Fixtures.load("echo-revoke", run)).statusCode()).isEqualTo(200);
        awaitMessage(wamid, m -> "[deleted in WhatsApp by the business]".equals(m.get("Body__c")));
        awaitCommunication(wamid, c -> "[deleted in WhatsApp by the business]".equals(
                c.properties().get("hs_communication_body")));
        assertThat(salesforce.query("SELECT Id FROM WhatsApp_Message__c WHERE Wamid__c = '" + wamid + "'")).hasSize(1);
    }

    @Test
    void aHistoryChunkSentTwiceIsBackfilledOnceWithItsTimesAndOpensNoCaseOrTicket() throws Exception {
        String run = Fixtures.newRun();
        String customer = "+1" + Fixtures.digits(run);
        byte[] chunk = Fixtures.load("history-chunk", run);
        assertThat(postSigned(chunk).statusCode()).isEqualTo(200);
        assertThat(postSigned(chunk).statusCode()).isEqualTo(200);

        String inbound = "wamid.N0FCNjMAHBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0-" + run + "-h2";
        Map<String, Object> fromCustomer = awaitMessage(inbound, m -> true);
        assertThat(fromCustomer).containsEntry("Direction__c", "Inbound").containsEntry("Body__c", "Thanks!")
                .containsEntry("Message_Timestamp__c", "2025-02-10T23:42:50.000+0000");
        assertThat(fromCustomer.get("Case__c")).isNull();
        Map<String, Object> fromBusiness = awaitMessage(ECHO + run + "-h0", m -> true);
        assertThat(fromBusiness).containsEntry("Direction__c", "Outbound");
        awaitMessage("wamid.BIyNDlBOEI5N0FCNjMAHBgLMTY0NjcwNDM1OTUVAgARGQUQ4NDc0-" + run + "-g0", m -> true);
        awaitCommunication(inbound, c -> true);

        assertThat(salesforce.query("SELECT Id FROM WhatsApp_Message__c WHERE Customer_WhatsApp_Id__c = '" + customer
                + "'")).hasSize(3);
        assertThat(salesforce.query("SELECT Id FROM Case WHERE WhatsApp_Id__c = '" + customer + "'")).isEmpty();
        assertThat(salesforce.query("SELECT WhatsApp_Last_Inbound_At__c FROM Contact WHERE WhatsApp_Id__c = '" + customer
                + "'")).singleElement().satisfies(c -> assertThat(c.get("WhatsApp_Last_Inbound_At__c")).isNull());
        assertThat(portal.find("tickets", "whatsapp_id", customer)).isEmpty();
        assertThat(portal.find("communications", "whatsapp_message_id", inbound)).hasSize(1);
    }

    @Test
    void aContactAddedInTheAppNamesANewPersonInBothCrms() throws Exception {
        String run = Fixtures.newRun();
        String customer = "+1" + Fixtures.digits(run);
        assertThat(postSigned(Fixtures.load("app-state-sync-contact", run)).statusCode()).isEqualTo(200);

        Map<String, Object> contact = await().atMost(WRITTEN).until(() -> {
            List<Map<String, Object>> rows = salesforce.query("SELECT Id, LastName FROM Contact WHERE WhatsApp_Id__c = '"
                    + customer + "'");
            return rows.isEmpty() ? null : rows.get(0);
        }, row -> row != null);
        assertThat(contact).containsEntry("LastName", "Pablo Morales");
        Record hubspotContact = await().atMost(WRITTEN).until(() -> portal.find("contacts", "whatsapp_id", customer)
                .stream().findFirst().orElse(null), c -> c != null);
        assertThat(hubspotContact.properties()).containsEntry("firstname", "Pablo").containsEntry("lastname", "Morales");
    }

    private Map<String, Object> awaitMessage(String wamid, Predicate<Map<String, Object>> ready) {
        return await().atMost(WRITTEN).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, Object>> rows = salesforce.query("SELECT Id, Direction__c, Body__c, Requested_By__c, "
                    + "Message_Timestamp__c, Contact__c, Case__c, Read_At__c FROM WhatsApp_Message__c WHERE Wamid__c = '"
                    + wamid + "'");
            return rows.size() == 1 && ready.test(rows.get(0)) ? rows.get(0) : null;
        }, row -> row != null);
    }

    private Record awaitCommunication(String wamid, Predicate<Record> ready) {
        return await().atMost(WRITTEN).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Record> found = portal.find("communications", "whatsapp_message_id", wamid);
            return found.size() == 1 && ready.test(found.get(0)) ? found.get(0) : null;
        }, c -> c != null);
    }
}
