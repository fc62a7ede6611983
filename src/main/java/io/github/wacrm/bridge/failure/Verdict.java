package io.github.wacrm.bridge.failure;

/** What the bridge does with a record whose processing failed; see {@link FailureClassification}. */
public enum Verdict {

    /** An outage (broker, database, CRM): retried with backoff, the record is never committed past. */
    RETRIED,

    /** This record's fault: dead-lettered at once with its reason, committed, the partition moves on. */
    RECORD_FAULT,

    /** Nothing says which: tried a few more times, then dead-lettered as {@code processing_failed}. */
    UNEXPECTED
}
