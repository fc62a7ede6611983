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
 * A customer first seen with a phone and a BSUID together, later with the BSUID alone, is one Contact with one Case
 * in Salesforce and one contact in HubSpot; after a {@code user_id_update}, the new BSUID leads to the same person.
 */
class OnePersonOneRecordTest extends BridgeIntegrationTest {

    private static final Duration SYNCED = Duration.ofSeconds(30);
    private static final String FIXTURE_PHONE = "16505551234";

    @Test
    void factsOfTheBsuidAloneReachThePhonesRecordAndAUserIdUpdateMovesTheLink() throws Exception {
        hubSpotPortalReady();
        String run = Fixtures.newRun();
        String phone = "165056" + String.format("%05d", (int) (Math.random() * 100_000));
        String e164 = "+" + phone;
        String bsuid = "US.13491208655302741918" + run;
        String newBsuid = "US.24817305912873645029" + run;

        post("customer-phone-and-bsuid", run, phone, null);
        awaitMessage("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-" + run + "-linked");
        post("customer-bsuid-only", run, phone, null);
        awaitMessage("wamid.HBgLBSUID-" + run + "-bsuid");

        assertThat(salesforceWhere("Contact", "WhatsApp_Id__c", e164)).hasSize(1);
        assertThat(salesforceWhere("Contact", "WhatsApp_Id__c", bsuid)).as("no second Contact").isEmpty();
        assertThat(salesforceWhere("Case", "WhatsApp_Id__c", e164)).as("one Case").hasSize(1);
        assertThat(salesforceWhere("Case", "WhatsApp_Id__c", bsuid)).isEmpty();
        assertThat(salesforceWhere("Contact", "WhatsApp_Id__c", e164).get(0))
                .as("the BSUID is never written as a phone number").containsEntry("WhatsApp_E164__c", e164);
        await().atMost(SYNCED).until(() -> !hubspot().find("communications", "whatsapp_message_id",
                "wamid.HBgLBSUID-" + run + "-bsuid").isEmpty());
        assertThat(hubspot().find("contacts", "whatsapp_id", e164)).hasSize(1);
        assertThat(hubspot().find("contacts", "whatsapp_id", bsuid)).as("no second HubSpot contact").isEmpty();

        // Meta gives the customer a new BSUID: the link moves with it
        post("user-id-update", run, phone, null);
        await().atMost(SYNCED).until(() -> jdbc.queryForList("SELECT identity_key FROM identity_link WHERE user_id = ?",
                String.class, newBsuid).equals(List.of("phone:" + e164)));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM identity_link WHERE user_id = ?", Integer.class, bsuid))
                .as("the previous BSUID is unlinked").isZero();
        post("customer-bsuid-only", run + "B", phone, newBsuid);
        awaitMessage("wamid.HBgLBSUID-" + run + "B-bsuid");
        assertThat(salesforceWhere("Contact", "WhatsApp_Id__c", newBsuid)).isEmpty();
        assertThat(salesforceWhere("Case", "WhatsApp_Id__c", e164)).hasSize(1);
    }

    private void post(String fixture, String run, String phone, String bsuid) throws Exception {
        String body = new String(Fixtures.load(fixture, run), StandardCharsets.UTF_8).replace(FIXTURE_PHONE, phone);
        if (bsuid != null) {
            body = body.replaceAll("US\\.13491208655302741918[A-Z0-9]+", bsuid);
        }
        assertThat(postSigned(body.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    private static void awaitMessage(String wamid) {
        await().atMost(SYNCED).until(() -> !salesforceWhere("WhatsApp_Message__c", "Wamid__c", wamid).isEmpty());
    }

    private static SalesforceOrg salesforce() {
        return DevServices.get().salesforce().org();
    }

    private static HubSpotPortal hubspot() {
        return DevServices.get().hubspot().portal();
    }
}
