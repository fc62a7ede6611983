package io.github.wacrm.bridge.hubspot;

/** 401 or 403: the token is wrong or lacks a scope. Not retried in a loop: the breaker opens and waits for a fix. */
public class HubSpotAccessRefusedException extends HubSpotUnavailableException {

    public HubSpotAccessRefusedException(String message) {
        super(message, false);
    }
}
