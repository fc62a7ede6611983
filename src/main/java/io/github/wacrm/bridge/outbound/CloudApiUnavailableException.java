package io.github.wacrm.bridge.outbound;

import io.github.wacrm.bridge.failure.Outage;

/**
 * The Cloud API cannot take sends from a number now (its access token was refused, error 190): the request is not
 * sent, and the sender retries it with the outage backoff, never committing past it, until the token is replaced.
 */
public class CloudApiUnavailableException extends RuntimeException implements Outage {

    public CloudApiUnavailableException(String message) {
        super(message);
    }
}
