package io.github.wacrm.bridge.media;

import io.github.wacrm.bridge.failure.RecordFault;

/**
 * The message record never came within {@code whatsapp.media.message-record-wait} (its fact was dead-lettered by the
 * sink, say): the file is dead-lettered, to be replayed once the record is there.
 */
public class MessageRecordMissingException extends RuntimeException implements RecordFault {

    public MessageRecordMissingException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "message_record_missing";
    }
}
