package io.github.wacrm.bridge.normalize;

import io.github.wacrm.bridge.failure.RecordFault;

/**
 * A signed delivery that cannot become canonical events. {@link #reason()} is a short code used as the dead-letter
 * header and metric tag; the message is a description free of payload content, safe to log.
 */
public class MalformedWebhookException extends RuntimeException implements RecordFault {

    private final String reason;

    public MalformedWebhookException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    @Override
    public String reason() {
        return reason;
    }

    public String getReason() {
        return reason;
    }
}
