package io.github.wacrm.bridge.failure;

/**
 * Marks an exception of the bridge's own that says "this record can never be processed as it is" (a delivery that is
 * not a WhatsApp envelope, say): {@link FailureClassification} dead-letters it at once with {@link #reason()}.
 */
public interface RecordFault {

    /** The short code written as the dead letter's {@code whatsapp-dlq-reason} and used as the metric tag. */
    String reason();
}
