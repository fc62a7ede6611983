package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;

/**
 * The Salesforce entry point of the reverse routes, end to end: a {@code WhatsApp_Send__e} platform event published
 * over REST to the Salesforce emulator reaches the bridge through the real camel-salesforce Pub/Sub consumer (gRPC),
 * is sent once through the WhatsApp Cloud API emulator, and its outcome shows on the record that asked; a restart of
 * the subscription resumes after the last event kept (none lost, none sent twice, even when events are read again);
 * an event that cannot be sent is refused with its reason on the record; Salesforce away holds the event until it is
 * back.
 */
class SalesforceSendEventsTest extends BridgeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLED = Duration.ofSeconds(45);
    private static final String ROUTE = "salesforce-send-events";

    @Autowired
    private CamelContext camel;

    @BeforeEach
    void subscribedAndTemplatesSynced() {
        await().atMost(SETTLED).until(() -> jdbc.queryForObject("SELECT count(*) FROM whatsapp_template WHERE "
                + "components IS NOT NULL AND name = 'order_update'", Integer.class) == 1);
        await().atMost(SETTLED).until(() -> salesforce().pubSub().subscribers() >= 1);
    }

    @Test
    void anEventOfACaseSendsTheTemplateOnceAndTheCaseShowsItRead() throws Exception {
        String number = newNumber();
        String contact = contact(number);
        String caseId = salesforce().org().create("Case", Map.of("Subject", "Order late", "ContactId", contact)).id();

        String eventUuid = publish(orderUpdate(caseId));

        Map<String, Object> request = awaitRequest(eventUuid, "read");
        String id = request.get("id").toString();
        List<WhatsAppCloudEmulator.Send> sends = sendsOf(id);
        assertThat(sends).hasSize(1);
        assertThat(sends.get(0).body().path("to").asText()).isEqualTo(number.substring(1));
        assertThat(request).containsEntry("source", "salesforce").containsEntry("requested_by", caseId);
        await().atMost(SETTLED).untilAsserted(() -> {
            List<Map<String, Object>> messages = salesforceWhere("WhatsApp_Message__c", "Outbound_Request_Id__c", id);
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0)).containsEntry("Case__c", caseId).containsEntry("Requested_By__c", caseId)
                    .containsEntry("Contact__c", contact).containsEntry("Template_Name__c", "order_update")
                    .containsEntry("Status__c", "Read");
        });
    }

    @Test
    void aRestartResumesAfterTheLastEventKeptAndEventsReadAgainAreNotSentAgain() throws Exception {
        String contact = contact(newNumber());
        String first = publish(orderUpdate(contact));
        RouteDefinition definition = keptThenUnsubscribed(first);
        // published while no subscriber runs: kept by Salesforce, read when the bridge is back
        String second = publish(orderUpdate(contact));
        String third = publish(orderUpdate(contact));
        // and the position kept goes back to before the first: every event since is read again
        jdbc.update("UPDATE pubsub_replay SET replay_id = 'AAAAAAAAAAA='");
        try {
            ((ModelCamelContext) camel).addRouteDefinition(definition);
            camel.getRouteController().startRoute(ROUTE);
            awaitRequest(second, "read");
            awaitRequest(third, "read");
        } finally {
            if (camel.getRoute(ROUTE) == null) {
                ((ModelCamelContext) camel).addRouteDefinition(definition);
            }
            if (!camel.getRouteController().getRouteStatus(ROUTE).isStarted()) {
                camel.getRouteController().startRoute(ROUTE);
            }
        }
        for (String event : List.of(first, second, third)) {
            // (a call Meta refused for the pair rate, 131056, is not a send: three to one customer in a row)
            assertThat(sendsOf(requestOf(event).get("id").toString())).as("sent once: " + event)
                    .filteredOn(send -> send.status() == 200).hasSize(1);
        }
        // the position kept is at or past the last event done
        long thirdReplayId = salesforce().org().events().events("WhatsApp_Send__e").stream()
                .filter(e -> e.eventId().equals(third)).findFirst().orElseThrow().replayId();
        long kept = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(jdbc.queryForObject(
                "SELECT replay_id FROM pubsub_replay", String.class))).getLong();
        assertThat(kept).isGreaterThanOrEqualTo(thirdReplayId);
    }

    @Test
    void aPositionSalesforceNoLongerKeepsStartsAgainFromTheOldestEventKept() throws Exception {
        String contact = contact(newNumber());
        String first = publish(orderUpdate(contact));
        RouteDefinition definition = keptThenUnsubscribed(first);
        // away longer than Salesforce keeps events: the stored position is purged, a later event still kept
        String later = publish(orderUpdate(contact(newNumber())));
        long firstReplayId = salesforce().org().events().events("WhatsApp_Send__e").stream()
                .filter(e -> e.eventId().equals(first)).findFirst().orElseThrow().replayId();
        salesforce().org().events().purgeThrough(firstReplayId);
        try {
            ((ModelCamelContext) camel).addRouteDefinition(definition);
            camel.getRouteController().startRoute(ROUTE);
            // refused, forgotten, and read again from the oldest event kept
            awaitRequest(later, "read");
            await().atMost(SETTLED).until(() -> later.equals(jdbc.queryForObject("SELECT event_id FROM pubsub_replay",
                    String.class)));
        } finally {
            await().atMost(SETTLED).until(() -> camel.getRoute(ROUTE) != null
                    && camel.getRouteController().getRouteStatus(ROUTE).isStarted());
        }
        assertThat(sendsOf(requestOf(later).get("id").toString())).filteredOn(send -> send.status() == 200).hasSize(1);
        assertThat(sendsOf(requestOf(first).get("id").toString())).filteredOn(send -> send.status() == 200).hasSize(1);
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).containsPattern("whatsapp_outbound_send_events_replay_lost_total(\\{[^}]*\\})? [1-9]");
    }

    @Test
    void anEventThatCannotBeSentIsRefusedWithItsReasonOnTheRecordThatAsked() throws Exception {
        String withoutNumber = salesforce().org().create("Contact", Map.of("LastName", "Nonumber")).id();
        String noNumber = publish(orderUpdate(withoutNumber));
        Map<String, Object> refused = awaitRequest(noNumber, "refused");
        assertThat(refused).containsEntry("reason_code", "no_whatsapp_number");
        String refusedId = refused.get("id").toString();
        await().atMost(SETTLED).untilAsserted(() -> {
            List<Map<String, Object>> messages = salesforceWhere("WhatsApp_Message__c", "Outbound_Request_Id__c",
                    refusedId);
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0)).containsEntry("Contact__c", withoutNumber).containsEntry("Status__c", "Refused");
            assertThat(messages.get(0).get("Refusal_Reason__c").toString()).startsWith("no_whatsapp_number: ");
        });

        // a check of the sender refuses it: the same record, on the customer's Contact
        String contact = contact(newNumber());
        Map<String, Object> fields = new LinkedHashMap<>(orderUpdate(contact));
        fields.put("Template_Name__c", "old_promo");
        Map<String, Object> notApproved = awaitRequest(publish(fields), "refused");
        assertThat(notApproved).containsEntry("reason_code", "template_not_approved");
        String notApprovedId = notApproved.get("id").toString();
        await().atMost(SETTLED).untilAsserted(() -> {
            List<Map<String, Object>> messages = salesforceWhere("WhatsApp_Message__c", "Outbound_Request_Id__c",
                    notApprovedId);
            assertThat(messages).hasSize(1);
            assertThat(messages.get(0)).containsEntry("Contact__c", contact).containsEntry("Status__c", "Refused");
        });

        Map<String, Object> unreadable = new LinkedHashMap<>(orderUpdate(contact));
        unreadable.put("Parameters__c", "#4521, on its way");
        assertThat(awaitRequest(publish(unreadable), "refused")).containsEntry("reason_code", "invalid_parameters");
        assertThat(awaitRequest(publish(Map.of("Recipient_Id__c", "not an id!")), "refused"))
                .containsEntry("reason_code", "invalid_recipient");
    }

    @Test
    void whileSalesforceIsAwayTheEventWaitsAndIsSentOnceItIsBack() throws Exception {
        String contact = contact(newNumber());
        salesforce().goDown();
        String eventUuid;
        try {
            eventUuid = salesforce().org().events().publish("WhatsApp_Send__e", orderUpdate(contact));
            Thread.sleep(3000);
            assertThat(requestOrNull(eventUuid)).as("no request while its recipient cannot be looked up").isNull();
        } finally {
            salesforce().recover();
        }
        Map<String, Object> request = awaitRequest(eventUuid, "read");
        assertThat(sendsOf(request.get("id").toString())).hasSize(1);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The event read and its position kept; then the subscription gone, as in a restart (its definition kept). */
    private RouteDefinition keptThenUnsubscribed(String event) throws Exception {
        awaitRequest(event, "read");
        await().atMost(SETTLED).until(() -> event.equals(jdbc.queryForObject("SELECT event_id FROM pubsub_replay",
                String.class)));
        RouteDefinition definition = ((ModelCamelContext) camel).getRouteDefinition(ROUTE);
        camel.getRouteController().stopRoute(ROUTE);
        camel.removeRoute(ROUTE);
        return definition;
    }

    private static SalesforceEmulator salesforce() {
        return DevServices.get().salesforce();
    }

    /** A Contact as the bridge keeps one: its WhatsApp id (the E.164 number for a phone user) and E.164. */
    private static String contact(String number) {
        return salesforce().org().create("Contact", Map.of("LastName", "Customer", "WhatsApp_Id__c", number,
                "WhatsApp_E164__c", number)).id();
    }

    private static Map<String, Object> orderUpdate(String recordId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Recipient_Id__c", recordId);
        fields.put("Template_Name__c", "order_update");
        fields.put("Template_Language__c", "en_US");
        fields.put("Parameters__c", "[\"#4521\", \"on its way\"]");
        fields.put("Correlation_Id__c", "case-00001026");
        return fields;
    }

    /** Publishes the event as Salesforce takes it over REST; answers its EventUuid. */
    private static String publish(Map<String, Object> fields) throws Exception {
        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(salesforce().baseUrl()
                + "/services/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=flow&client_secret=x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String session = JSON.readTree(token.body()).path("access_token").asText();
        HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(URI.create(salesforce().baseUrl()
                + "/services/data/v62.0/sobjects/WhatsApp_Send__e")).header("Authorization", "Bearer " + session)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(fields))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        JsonNode answer = JSON.readTree(published.body());
        assertThat(answer.path("success").asBoolean()).isTrue();
        assertThat(answer.path("errors").path(0).path("statusCode").asText()).isEqualTo("OPERATION_ENQUEUED");
        return answer.path("errors").path(0).path("message").asText();
    }

    private Map<String, Object> awaitRequest(String eventUuid, String state) {
        await().atMost(SETTLED).until(() -> {
            Map<String, Object> request = requestOrNull(eventUuid);
            return request != null && state.equals(request.get("state"));
        });
        return requestOf(eventUuid);
    }

    private Map<String, Object> requestOf(String eventUuid) {
        return jdbc.queryForMap("SELECT * FROM outbound_request WHERE idempotency_key = ?", "salesforce:" + eventUuid);
    }

    private Map<String, Object> requestOrNull(String eventUuid) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM outbound_request WHERE idempotency_key = ?",
                "salesforce:" + eventUuid);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<WhatsAppCloudEmulator.Send> sendsOf(String id) {
        return DevServices.get().whatsapp().sends().stream()
                .filter(s -> ("wacrm:" + id).equals(s.body().path("biz_opaque_callback_data").asText())).toList();
    }

    private static String newNumber() {
        return "+165059" + String.format("%05d", (int) (Math.random() * 100_000));
    }
}
