package io.github.wacrm.bridge.intake;

/** A body over {@code whatsapp.webhook.max-body-bytes}: answered 413, nothing stored. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limit) {
        super("body exceeds " + limit + " bytes", null, false, false);
    }
}
