package io.github.wacrm.bridge.normalize;

/**
 * A signed delivery that cannot become canonical events. {@link #reason()} is a short code used as the dead-letter
 * header and metric tag; the message is a description free of payload content, safe to log.
 */
public class MalformedWebhookException extends RuntimeException {

    private final String reason;

    public MalformedWebhookException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    public String getReason() {
        return reason;
    }
}
