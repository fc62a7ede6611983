package io.github.wacrm.bridge.media;

import io.github.wacrm.bridge.failure.Outage;

/** The message record a file belongs to is not in the CRM yet (its sink is behind): the file is tried again. */
public class MessageRecordPendingException extends RuntimeException implements Outage {

    public MessageRecordPendingException(String message) {
        super(message);
    }
}
