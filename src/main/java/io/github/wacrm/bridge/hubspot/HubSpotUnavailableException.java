package io.github.wacrm.bridge.hubspot;

import io.github.wacrm.bridge.failure.Outage;

/**
 * HubSpot cannot take the batch now (5xx, timeouts, the daily limit, a refused token or missing scope, throttled for
 * too long): the sink retries with backoff and, failing that, reads the batch again later. Nothing is committed past it.
 */
public class HubSpotUnavailableException extends RuntimeException implements Outage {

    private final boolean retryNow;

    /** @param retryNow whether the call may be sent again after a short backoff (5xx), or not before the batch is */
    public HubSpotUnavailableException(String message, boolean retryNow) {
        super(message);
        this.retryNow = retryNow;
    }

    public HubSpotUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.retryNow = false;
    }

    /** A 5xx: worth sending again within the batch, after a backoff. */
    public boolean retryNow() {
        return retryNow;
    }
}
