package io.github.wacrm.bridge.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;
import io.github.wacrm.bridge.support.BothCrmsTest;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * WhatsApp calls from the webhook to one call activity per call in each CRM: a Salesforce Task of subtype Call on the
 * customer's Contact, a HubSpot call on the contact; events in any order, delivered twice, never two activities.
 */
class CallActivitiesTest extends BothCrmsTest {

    private static final Duration WRITTEN = Duration.ofSeconds(60);
    private static final String CUSTOMER = "+16505551234";

    @Test
    void aCustomersCallConnectedThenEndedIsOneCompletedInboundCallInEachCrm() throws Exception {
        String run = Fixtures.newRun();
        String callId = "wacid.HBgLMTY1MDU1NTEyMzQVAgASGCA-" + run + "-call";
        assertThat(postSigned(Fixtures.load("call-connect-user-initiated", run)).statusCode()).isEqualTo(200);
        awaitTask(callId, task -> "In Progress".equals(task.get("Status")));
        assertThat(postSigned(Fixtures.load("call-terminate", run)).statusCode()).isEqualTo(200);

        Map<String, Object> task = awaitTask(callId, t -> "Completed".equals(t.get("Status")));
        assertThat(task).containsEntry("TaskSubtype", "Call").containsEntry("CallType", "Inbound")
                .containsEntry("CallDurationInSeconds", 120).containsEntry("WhatsApp_Call_Status__c", "COMPLETED")
                .containsEntry("ActivityDate", "2024-11-22");
        assertThat((String) task.get("Description")).contains("Started: 2024-11-22T10:06:45Z")
                .contains("Ended: 2024-11-22T10:08:45Z").contains("Duration: 120 s");
        assertThat(task.get("WhoId")).isEqualTo(contactId());

        Record call = awaitCall(callId, c -> "COMPLETED".equals(c.properties().get("hs_call_status")));
        assertThat(call.properties()).containsEntry("hs_call_direction", "INBOUND")
                .containsEntry("hs_call_duration", "120000").containsEntry("whatsapp_call_status", "COMPLETED")
                .containsEntry("hs_timestamp", "2024-11-22T10:06:45Z");
        String contact = portal.find("contacts", "whatsapp_id", CUSTOMER).get(0).id();
        assertThat(portal.associated("calls", call.id(), "contacts")).containsExactly(contact);
    }

    @Test
    void anEndBeforeItsConnectAndEveryEventTwiceStillMakeOneCompletedActivity() throws Exception {
        String run = Fixtures.newRun();
        String callId = "wacid.HBgLMTY1MDU1NTEyMzQVAgASGCA-" + run + "-call";
        assertThat(postSigned(Fixtures.load("call-terminate", run)).statusCode()).isEqualTo(200);
        awaitTask(callId, t -> "Completed".equals(t.get("Status")));
        awaitCall(callId, c -> "COMPLETED".equals(c.properties().get("hs_call_status")));
        for (int i = 0; i < 2; i++) {
            assertThat(postSigned(Fixtures.load("call-connect-user-initiated", run)).statusCode()).isEqualTo(200);
            assertThat(postSigned(Fixtures.load("call-terminate", run)).statusCode()).isEqualTo(200);
        }
        // a later call of the same customer, in the same partition: once it is written, the others were read
        String later = Fixtures.newRun();
        assertThat(postSigned(Fixtures.load("call-terminate", later)).statusCode()).isEqualTo(200);
        awaitTask("wacid.HBgLMTY1MDU1NTEyMzQVAgASGCA-" + later + "-call", t -> true);
        awaitCall("wacid.HBgLMTY1MDU1NTEyMzQVAgASGCA-" + later + "-call", c -> true);

        assertThat(tasks(callId)).singleElement().satisfies(task -> assertThat(task)
                .containsEntry("Status", "Completed").containsEntry("CallDurationInSeconds", 120));
        assertThat(portal.find("calls", "whatsapp_call_id", callId)).singleElement()
                .satisfies(call -> assertThat(call.properties()).containsEntry("hs_call_status", "COMPLETED"));
    }

    @Test
    void aBusinessCallStillRingingIsAnOutboundActivityInProgress() throws Exception {
        String run = Fixtures.newRun();
        String callId = "wacid.HBgLMTY1MDU1NTEyMzQVAgASGCA-" + run + "-outcall";
        assertThat(postSigned(Fixtures.load("call-connect-business-initiated", run)).statusCode()).isEqualTo(200);
        assertThat(postSigned(Fixtures.load("call-status-ringing", run)).statusCode()).isEqualTo(200);

        Map<String, Object> task = awaitTask(callId, t -> "RINGING".equals(t.get("WhatsApp_Call_Status__c")));
        assertThat(task).containsEntry("CallType", "Outbound").containsEntry("Status", "In Progress");
        Record call = awaitCall(callId, c -> "RINGING".equals(c.properties().get("hs_call_status")));
        assertThat(call.properties()).containsEntry("hs_call_direction", "OUTBOUND");
    }

    private Map<String, Object> awaitTask(String callId, java.util.function.Predicate<Map<String, Object>> ready) {
        return await().atMost(WRITTEN).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, Object>> found = tasks(callId);
            return found.size() == 1 && ready.test(found.get(0)) ? found.get(0) : null;
        }, t -> t != null);
    }

    private List<Map<String, Object>> tasks(String callId) {
        return salesforce.query("SELECT Id, Status, TaskSubtype, CallType, CallDurationInSeconds, ActivityDate, "
                + "Description, WhoId, WhatsApp_Call_Status__c FROM Task WHERE WhatsApp_Call_Id__c = '" + callId + "'");
    }

    private Record awaitCall(String callId, java.util.function.Predicate<Record> ready) {
        return await().atMost(WRITTEN).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Record> found = portal.find("calls", "whatsapp_call_id", callId);
            return found.size() == 1 && ready.test(found.get(0)) ? found.get(0) : null;
        }, c -> c != null);
    }

    private Object contactId() {
        return salesforce.query("SELECT Id FROM Contact WHERE WhatsApp_Id__c = '" + CUSTOMER + "'").get(0).get("Id");
    }
}
