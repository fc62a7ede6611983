package io.github.wacrm.bridge.state;

import org.springframework.dao.TransientDataAccessException;

/**
 * Another consumer has claimed this fact and not finished it yet. Transient: the route retries later and then finds
 * the fact either confirmed (a duplicate) or its claim expired (taken over), so the fact is neither lost nor doubled.
 */
public class FactInProgressException extends TransientDataAccessException {

    public FactInProgressException(String key) {
        super("fact " + key + " is being processed elsewhere");
    }
}
