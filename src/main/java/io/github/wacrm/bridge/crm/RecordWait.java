package io.github.wacrm.bridge.crm;

import java.time.Duration;
import java.time.Instant;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * How long a fact that needs a record another route writes (a file its message record, a call its person) waits for
 * it: tried again as an outage until {@code wait} after the webhook came, then dead-lettered with a reason. Never
 * retried forever.
 */
public final class RecordWait {

    private RecordWait() {
    }

    /** Throws: pending (tried again) while the fact is younger than {@code wait}, missing (dead-lettered) after. */
    public static void notFound(String receivedAt, Duration wait, String what, String reason) {
        Instant received = receivedAt == null ? Instant.now() : CanonicalEvent.instant(receivedAt);
        if (Duration.between(received, Instant.now()).compareTo(wait) > 0) {
            throw new CrmRecordMissingException(reason, "no " + what + " for the fact within " + wait);
        }
        throw new CrmRecordPendingException("the " + what + " is not in the CRM yet");
    }
}
