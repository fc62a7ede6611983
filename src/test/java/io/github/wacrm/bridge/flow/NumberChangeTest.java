package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceOrg;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * A customer who changes their WhatsApp number (a {@code user_changed_number} system message from the old number) stays
 * one Contact with one Case in Salesforce and one contact in HubSpot: the record keeps its key, shows the new number,
 * keeps the old ones as history, and a late message from the old number does not put the old number back.
 */
class NumberChangeTest extends BridgeIntegrationTest {

    private static final Duration SYNCED = Duration.ofSeconds(30);
    private static final String FIXTURE_PHONE = "16505551234";
    private static final String FIXTURE_NEW_PHONE = "16505559999";
    private static final String FIXTURE_TIME = "\"timestamp\": \"1732270000\"";

    @Test
    void theNewNumbersFactsReachTheSameRecordWhichShowsTheNewNumberAndKeepsTheOldOnes() throws Exception {
        hubSpotPortalReady();
        String run = Fixtures.newRun();
        String first = "165057" + String.format("%05d", (int) (Math.random() * 100_000));
        String second = "165058" + first.substring(6);
        String third = "165059" + first.substring(6);

        text(run + "A", first, 1732260000L);
        change(run + "B", first, second, 1732270000L);
        text(run + "C", second, 1732280000L);
        // a message of the old number Meta delivers late: older than the change
        text(run + "D", first, 1732265000L);
        awaitEverywhere(run + "A", run + "B", run + "C", run + "D");

        Map<String, Object> contact = onlyContact("+" + first);
        assertThat(contact).containsEntry("WhatsApp_E164__c", "+" + second)
                .containsEntry("WhatsApp_Previous_Numbers__c", "+" + first);
        assertThat(contact.get("WhatsApp_Number_Changed_At__c")).asString().startsWith("2024-11-22T10:06:40");
        assertThat(salesforceWhere("Contact", "WhatsApp_Id__c", "+" + second)).as("no second Contact").isEmpty();
        assertThat(salesforceWhere("Case", "WhatsApp_Id__c", "+" + first)).as("one Case").hasSize(1);
        assertThat(salesforceWhere("WhatsApp_Message__c", "Wamid__c", wamid(run + "C") + "-text").get(0))
                .as("the new number's message is on the same Contact")
                .containsEntry("Contact__c", contact.get("Id"));
        Map<String, String> hubspotContact = onlyHubSpotContact("+" + first);
        assertThat(hubspotContact).containsEntry("mobilephone", "+" + second)
                .containsEntry("whatsapp_previous_numbers", "+" + first);
        assertThat(hubspot().find("contacts", "whatsapp_id", "+" + second)).as("no second HubSpot contact").isEmpty();

        // and again: the second number changes to a third; both earlier numbers are history
        change(run + "E", second, third, 1732290000L);
        text(run + "F", third, 1732300000L);
        awaitEverywhere(run + "E", run + "F");
        await().atMost(SYNCED).untilAsserted(() -> assertThat(onlyContact("+" + first))
                .containsEntry("WhatsApp_E164__c", "+" + third)
                .containsEntry("WhatsApp_Previous_Numbers__c", "+" + first + ", +" + second));
        await().atMost(SYNCED).untilAsserted(() -> assertThat(onlyHubSpotContact("+" + first))
                .containsEntry("mobilephone", "+" + third));
        assertThat(salesforceWhere("Contact", "WhatsApp_Id__c", "+" + third)).isEmpty();
        assertThat(salesforceWhere("Case", "WhatsApp_Id__c", "+" + first)).hasSize(1);
        assertThat(jdbc.queryForList("SELECT identity_key FROM phone_link WHERE phone_key IN (?, ?)", String.class,
                "phone:+" + second, "phone:+" + third)).containsExactly("phone:+" + first, "phone:+" + first);
    }

    private void text(String run, String phone, long epochSeconds) throws Exception {
        post("message-text", run, epochSeconds, FIXTURE_PHONE, phone);
    }

    private void change(String run, String from, String to, long epochSeconds) throws Exception {
        post("message-system", run, epochSeconds, FIXTURE_PHONE, from, FIXTURE_NEW_PHONE, to);
    }

    private void post(String fixture, String run, long epochSeconds, String... replacements) throws Exception {
        String body = new String(Fixtures.load(fixture, run), StandardCharsets.UTF_8)
                .replace(FIXTURE_TIME, "\"timestamp\": \"" + epochSeconds + "\"");
        for (int i = 0; i < replacements.length; i += 2) {
            body = body.replace(replacements[i], replacements[i + 1]);
        }
        assertThat(postSigned(body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    private static String wamid(String run) {
        return "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run;
    }

    private static void awaitEverywhere(String... runs) {
        for (String run : runs) {
            await().atMost(SYNCED).until(() -> salesforce().all("WhatsApp_Message__c").stream()
                    .anyMatch(m -> String.valueOf(m.get("Wamid__c")).startsWith(wamid(run))));
            await().atMost(SYNCED).until(() -> hubspot().all("communications").stream()
                    .anyMatch(c -> String.valueOf(c.properties().get("whatsapp_message_id")).startsWith(wamid(run))));
        }
    }

    private static Map<String, Object> onlyContact(String whatsappId) {
        List<Map<String, Object>> contacts = salesforceWhere("Contact", "WhatsApp_Id__c", whatsappId);
        assertThat(contacts).as("one Contact").hasSize(1);
        return contacts.get(0);
    }

    private static Map<String, String> onlyHubSpotContact(String whatsappId) {
        List<HubSpotPortal.Record> contacts = hubspot().find("contacts", "whatsapp_id", whatsappId);
        assertThat(contacts).as("one HubSpot contact").hasSize(1);
        return contacts.get(0).properties();
    }

    private static SalesforceOrg salesforce() {
        return DevServices.get().salesforce().org();
    }

    private static HubSpotPortal hubspot() {
        return DevServices.get().hubspot().portal();
    }
}
