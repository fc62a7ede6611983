package io.github.wacrm.bridge.crm;

import io.github.wacrm.bridge.failure.RecordFault;

/**
 * A record a fact needs never came within its wait (its own fact was dead-lettered by the sink, say): the fact is
 * dead-lettered with {@link #reason()}, to be replayed once the record is there.
 */
public class CrmRecordMissingException extends RuntimeException implements RecordFault {

    private final String reason;

    public CrmRecordMissingException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    @Override
    public String reason() {
        return reason;
    }
}
