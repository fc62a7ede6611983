package io.github.wacrm.bridge.salesforce;

import io.github.wacrm.bridge.failure.RecordFault;

/** Salesforce refused a media route's query or update for this message (not an outage): it is dead-lettered. */
public class SalesforceFileRefusedException extends RuntimeException implements RecordFault {

    public SalesforceFileRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reason() {
        return "refused_by_salesforce";
    }
}
