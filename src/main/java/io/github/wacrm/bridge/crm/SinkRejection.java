package io.github.wacrm.bridge.crm;

import io.github.wacrm.bridge.failure.DeadLetter;

/** A fact a CRM refused for good (or that could not be read), with the reason, for the sink's dead-letter topic. */
public record SinkRejection(SinkFact fact, String reason, String detail) implements DeadLetter {

    @Override
    public byte[] original() {
        return fact.original();
    }

    @Override
    public String key() {
        return fact.key();
    }

    @Override
    public String sourceTopic() {
        return fact.topic();
    }

    @Override
    public Integer sourcePartition() {
        return fact.partition();
    }

    @Override
    public Long sourceOffset() {
        return fact.offset();
    }
}
