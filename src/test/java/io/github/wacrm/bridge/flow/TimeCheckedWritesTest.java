package io.github.wacrm.bridge.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceOrg;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * A CRM field is written only when its event is newer than what the CRM holds from the bridge: a marketing "stop"
 * processed first is not undone by an older "resume" that comes later (Meta redelivers, a replay, another partition),
 * in either CRM; a newer "resume" still opts the customer in again.
 */
class TimeCheckedWritesTest extends BridgeIntegrationTest {

    private static final Duration SYNCED = Duration.ofSeconds(30);
    private static final String FIXTURE_PHONE = "16505551234";

    @Test
    void anOlderResumeArrivingAfterANewerStopLeavesTheCustomerOptedOutInBothCrms() throws Exception {
        hubSpotPortalReady();
        String run = Fixtures.newRun();
        String phone = "165059" + String.format("%05d", (int) (Math.random() * 100_000));
        String e164 = "+" + phone;

        post("user-preferences-marketing-stop", run, phone, null);
        await().atMost(SYNCED).until(() -> "Opted Out".equals(salesforceOptIn(e164))
                && "opted_out".equals(hubspotOptIn(e164)));

        // the resume happened before the stop (1732270200 < 1732270300), but reaches the bridge after it
        post("user-preferences-marketing-resume", run, phone, null);
        // a later message of the same customer: once it is in both CRMs, so is everything before it (one partition)
        String marker = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-text";
        post("message-text", run, phone, null);
        await().atMost(SYNCED).until(() -> inSalesforce(marker) && inHubSpot(marker));

        assertThat(salesforceOptIn(e164)).isEqualTo("Opted Out");
        assertThat(hubspotOptIn(e164)).isEqualTo("opted_out");

        // a resume newer than the stop opts the customer in again
        post("user-preferences-marketing-resume", run + "N", phone, "1732270900");
        await().atMost(SYNCED).until(() -> "Opted In".equals(salesforceOptIn(e164))
                && "opted_in".equals(hubspotOptIn(e164)));
    }

    private void post(String fixture, String run, String phone, String timestamp) throws Exception {
        String body = new String(Fixtures.load(fixture, run), StandardCharsets.UTF_8).replace(FIXTURE_PHONE, phone);
        if (timestamp != null) {
            body = body.replace("\"timestamp\": 1732270200", "\"timestamp\": " + timestamp);
        }
        assertThat(postSigned(body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    private static SalesforceOrg salesforce() {
        return DevServices.get().salesforce().org();
    }

    private static HubSpotPortal hubspot() {
        return DevServices.get().hubspot().portal();
    }

    private static String salesforceOptIn(String e164) {
        List<Map<String, Object>> contacts = salesforce().all("Contact").stream()
                .filter(c -> e164.equals(c.get("WhatsApp_Id__c"))).toList();
        assertThat(contacts.size()).as("one Contact").isLessThanOrEqualTo(1);
        return contacts.isEmpty() ? null : (String) contacts.get(0).get("WhatsApp_Opt_In_Status__c");
    }

    private static String hubspotOptIn(String e164) {
        Optional<HubSpotPortal.Record> contact = hubspot().find("contacts", "whatsapp_id", e164).stream().findFirst();
        return contact.map(c -> c.properties().get("whatsapp_opt_in_status")).orElse(null);
    }

    private static boolean inSalesforce(String wamid) {
        return salesforce().all("WhatsApp_Message__c").stream().anyMatch(m -> wamid.equals(m.get("Wamid__c")));
    }

    private static boolean inHubSpot(String wamid) {
        return !hubspot().find("communications", "whatsapp_message_id", wamid).isEmpty();
    }
}
