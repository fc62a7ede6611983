package io.github.wacrm.bridge.crm;

import io.github.wacrm.bridge.failure.Outage;

/** A record a fact needs is not in the CRM yet (its sink is behind): the fact is tried again ({@link RecordWait}). */
public class CrmRecordPendingException extends RuntimeException implements Outage {

    public CrmRecordPendingException(String message) {
        super(message);
    }
}
