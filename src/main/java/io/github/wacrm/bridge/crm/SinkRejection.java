package io.github.wacrm.bridge.crm;

/** A fact a CRM refused for good (or that could not be read), with the reason, for the sink's dead-letter topic. */
public record SinkRejection(SinkFact fact, String reason, String detail) {
}
