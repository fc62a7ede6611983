package io.github.wacrm.bridge.failure;

/**
 * What a dead-letter topic keeps of a record that failed for good (the {@code dead-letter} route template): the bytes
 * as they were read, the key (its customer, so a replay is handled beside that customer's live records), the reason
 * and its detail, and where the record was read. A replay puts the bytes back unchanged.
 */
public interface DeadLetter {

    byte[] original();

    String key();

    /** Short code: header {@code whatsapp-dlq-reason}, metric tag. */
    String reason();

    /** Header {@code whatsapp-dlq-detail}: the exception or the CRM's error, never personal data. */
    String detail();

    String sourceTopic();

    Integer sourcePartition();

    Long sourceOffset();
}
