package io.github.wacrm.bridge.hubspot;

import io.github.wacrm.bridge.failure.RecordFault;

/** HubSpot refused a media route's read, note, association or update for this message (not an outage). */
public class HubSpotFileRefusedException extends RuntimeException implements RecordFault {

    public HubSpotFileRefusedException(String message) {
        super(message);
    }

    @Override
    public String reason() {
        return "refused_by_hubspot";
    }
}
