package io.github.wacrm.bridge.salesforce;

import io.github.wacrm.bridge.failure.Outage;

/**
 * Salesforce cannot take writes now (5xx, timeout, connection refused, daily API limit, credentials refused): the
 * batch is retried with backoff and its offsets are not committed, so nothing is lost. Counted by the circuit breaker.
 */
public class SalesforceUnavailableException extends RuntimeException implements Outage {

    public SalesforceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
