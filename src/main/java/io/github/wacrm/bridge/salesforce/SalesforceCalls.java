package io.github.wacrm.bridge.salesforce;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.call.CallActivities;
import io.github.wacrm.bridge.call.CallActivity;
import io.github.wacrm.bridge.call.CallJob;
import io.github.wacrm.bridge.salesforce.SalesforceProperties.ConversationMode;
import io.github.wacrm.bridge.salesforce.SalesforceProperties.ObjectMapping;

/**
 * A WhatsApp call as a Salesforce Task of subtype Call on the customer's Contact (or Lead, on a sales number), one per
 * call (routes/74-call-activities): an external id on an Activity field is not relied on (orgs differ on it), so the
 * Task is created once, its id kept in the call ledger, and later events update it. A creation that may have reached Salesforce without its id being
 * kept is looked for by {@value #CALL_ID} first.
 */
@Component("salesforceCalls")
public class SalesforceCalls {

    static final String CALL_ID = "WhatsApp_Call_Id__c";
    static final String CALL_STATUS = "WhatsApp_Call_Status__c";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceProperties properties;
    private final CallActivities calls;

    public SalesforceCalls(SalesforceProperties properties, CallActivities calls) {
        this.properties = properties;
        this.calls = calls;
    }

    /** The Task an interrupted creation may have made. */
    public void findQuery(Exchange exchange) {
        CallJob job = job(exchange);
        query(exchange, "SELECT Id FROM Task WHERE " + CALL_ID + " = " + SalesforceRequests.quote(job.callId()));
    }

    public void found(Exchange exchange) throws IOException {
        JsonNode records = JSON.readTree(exchange.getMessage().getBody(byte[].class)).path("records");
        if (!records.isEmpty()) {
            job(exchange).recordId(records.path(0).path("Id").asText());
        }
    }

    /** The Contact (or Lead) the new Task goes on. */
    public void personQuery(Exchange exchange) {
        CallJob job = job(exchange);
        ObjectMapping person = person(job);
        query(exchange, "SELECT Id FROM " + person.object() + " WHERE " + person.externalId() + " = "
                + SalesforceRequests.quote(job.customerKey()));
    }

    public void person(Exchange exchange) throws IOException {
        CallJob job = job(exchange);
        JsonNode records = JSON.readTree(exchange.getMessage().getBody(byte[].class)).path("records");
        if (records.isEmpty()) {
            calls.personNotFound(job, person(job).object());
        }
        job.personId(records.path(0).path("Id").asText());
    }

    /** The Task created (with its person and subtype) or updated with the call's merged state. */
    public void write(Exchange exchange) throws IOException {
        CallJob job = job(exchange);
        CallActivity call = job.activity();
        ObjectNode task = JSON.createObjectNode()
                .put("Subject", SalesforceTextLimits.cut("subject", "WhatsApp call " + (call.inbound() ? "from" : "to")
                        + " the customer"))
                .put("Status", call.ended() ? "Completed" : "In Progress")
                .put("CallType", call.inbound() ? "Inbound" : "Outbound")
                .put("Description", call.description())
                .put(CALL_STATUS, call.status());
        if (call.durationSeconds() != null) {
            task.put("CallDurationInSeconds", call.durationSeconds());
        }
        if (call.beganAt() != null) {
            task.put("ActivityDate", call.beganAt().substring(0, 10));
        }
        Message m = exchange.getMessage();
        m.removeHeader(SalesforceSync.RAW_QUERY_PARAMETERS);
        String sobjects = "/services/data/v" + properties.apiVersion() + "/sobjects/Task";
        if (job.recordId() != null) {
            m.setHeader(SalesforceSync.RAW_METHOD, "PATCH");
            m.setHeader(SalesforceSync.RAW_PATH, sobjects + "/" + job.recordId());
            m.setHeader(SalesforceSync.OPERATION, "update Task");
        } else {
            // set once: TaskSubtype cannot be changed after the Task is created
            task.put("TaskSubtype", "Call").put("Priority", "Normal").put("WhoId", job.personId())
                    .put(CALL_ID, job.callId());
            m.setHeader(SalesforceSync.RAW_METHOD, "POST");
            m.setHeader(SalesforceSync.RAW_PATH, sobjects);
            m.setHeader(SalesforceSync.OPERATION, "create Task");
        }
        m.setBody(JSON.writeValueAsBytes(task));
    }

    public void wrote(Exchange exchange) throws IOException {
        CallJob job = job(exchange);
        if (job.recordId() == null) {
            job.recordId(JSON.readTree(exchange.getMessage().getBody(byte[].class)).path("id").asText());
        }
    }

    private ObjectMapping person(CallJob job) {
        return properties.object(properties.conversations().modeFor(job.phoneNumberId()) == ConversationMode.LEAD
                ? SalesforceProperties.LEAD : SalesforceProperties.CONTACT);
    }

    private void query(Exchange exchange, String soql) {
        Message m = exchange.getMessage();
        m.setBody(null);
        m.setHeader(SalesforceSync.RAW_METHOD, "GET");
        m.setHeader(SalesforceSync.RAW_PATH, "/services/data/v" + properties.apiVersion() + "/query");
        m.setHeader(SalesforceSync.RAW_QUERY_PARAMETERS, "q");
        m.setHeader("q", soql);
        m.setHeader(SalesforceSync.OPERATION, "query");
    }

    private static CallJob job(Exchange exchange) {
        return exchange.getProperty(CallJob.PROPERTY, CallJob.class);
    }
}
