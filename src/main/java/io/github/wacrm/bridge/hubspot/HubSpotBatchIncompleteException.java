package io.github.wacrm.bridge.hubspot;

/** Some inputs were refused for a passing reason more often than allowed: the batch is read again, nothing committed. */
public class HubSpotBatchIncompleteException extends RuntimeException {

    public HubSpotBatchIncompleteException(String message) {
        super(message);
    }
}
