package io.github.wacrm.bridge.call;

import java.io.IOException;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.crm.RecordWait;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.failure.FailedRecords;

/**
 * The calls' side of the call-activity routes (routes/74-call-activities): a CALL fact becomes a {@link CallJob} for
 * the route's CRM, its state merged with what the ledger had; once the CRM has the activity, the ledger keeps its id
 * and the state it shows.
 */
@Component("callActivities")
public class CallActivities {

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final CallLedger ledger;
    private final Duration personWait;

    public CallActivities(CallLedger ledger, @Value("${whatsapp.calls.person-wait:30m}") Duration personWait) {
        this.ledger = ledger;
        this.personWait = personWait;
    }

    /** Filter: the fact read (kept by failedRecords.keepOriginal) is a call event of a known customer. */
    public boolean start(Exchange exchange) {
        exchange.removeProperty(CallJob.PROPERTY);
        byte[] record = exchange.getProperty(FailedRecords.ORIGINAL_RECORD, byte[].class);
        CanonicalEvent fact;
        try {
            fact = record == null ? null : JSON.readValue(record, CanonicalEvent.class);
        } catch (IOException notAFact) {
            return false; // the sinks dead-letter what is not a fact
        }
        String customerKey = fact == null ? null : Customer.whatsappId(fact.customer);
        if (fact == null || fact.kind != EventKind.CALL || fact.messageId == null || customerKey == null
                || fact.payload == null) {
            return false;
        }
        String crm = exchange.getProperty("activityCrm", String.class);
        CallLedger.Known known = ledger.read(crm, fact.messageId);
        CallActivity activity = CallActivity.of(known.state()).merge(fact.payload, fact.occurredAt);
        exchange.setProperty(CallJob.PROPERTY, new CallJob(crm, fact.messageId, customerKey, fact.phoneNumberId,
                fact.receivedAt, activity, known.recordId(), known.exists() && known.recordId() == null));
        return true;
    }

    /** The person the activity goes on is not in the CRM yet: waited for, then dead-lettered. */
    public void personNotFound(CallJob job, String what) {
        RecordWait.notFound(job.receivedAt(), personWait, what, "call_person_missing");
    }

    /** Before an activity is created: a creation that may reach the CRM is remembered. */
    public void creating(Exchange exchange) {
        CallJob job = exchange.getProperty(CallJob.PROPERTY, CallJob.class);
        ledger.creating(job.crm(), job.callId());
    }

    /** The CRM shows the activity with the merged state. */
    public void written(Exchange exchange) {
        CallJob job = exchange.getProperty(CallJob.PROPERTY, CallJob.class);
        ledger.written(job.crm(), job.callId(), job.recordId(), job.activity());
    }
}
