package io.github.wacrm.bridge.failure;

/** A record of a consuming route (normaliser, router) that failed for good, as {@link FailureClassification} read it. */
public record FailedRecord(byte[] original, String key, String reason, String detail, String sourceTopic,
        Integer sourcePartition, Long sourceOffset) implements DeadLetter {
}
