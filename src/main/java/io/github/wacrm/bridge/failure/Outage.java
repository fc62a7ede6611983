package io.github.wacrm.bridge.failure;

/**
 * Marks an exception of the bridge's own that says "a dependency cannot take this now" (a CRM outage, records still
 * locked): {@link FailureClassification} retries it and never commits past it.
 */
public interface Outage {
}
