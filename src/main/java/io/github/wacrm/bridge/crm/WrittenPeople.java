package io.github.wacrm.bridge.crm;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.wacrm.bridge.outbound.Sha256;
import io.github.wacrm.bridge.state.PersonStates;
import io.github.wacrm.bridge.state.PersonStates.State;

/**
 * What one CRM sink last wrote of its people ({@link PersonStates}), and the two rules that spare it calls:
 * <ul>
 *   <li>a person record whose values are those last written, and whose last inbound time moved by less than the
 *       step, is not written again (the CRM's "last inbound at" lags by up to the step: the 24 h window it shows
 *       closes that much early, never late);</li>
 *   <li>a person's open conversation record (Salesforce Case, HubSpot ticket) found or opened within the recheck
 *       interval is trusted without asking the CRM (0: always ask).</li>
 * </ul>
 */
public final class WrittenPeople {

    /** The person value that moves with every message: left out of the hash, written by the step. */
    public static final String LAST_INBOUND = "lastInboundAt";

    private final PersonStates states;
    private final String crm;
    private final Duration lastInboundStep;
    private final Duration recheck;

    public WrittenPeople(PersonStates states, String crm, long lastInboundStepMs, long recheckMs) {
        this.states = states;
        this.crm = crm;
        this.lastInboundStep = Duration.ofMillis(lastInboundStepMs);
        this.recheck = Duration.ofMillis(recheckMs);
    }

    /** Person key → what the sink last wrote, for the people it knows (one statement). */
    public Map<String, State> read(Collection<String> personKeys) {
        return states.read(crm, personKeys);
    }

    public void save(List<State> written) {
        states.save(crm, written);
    }

    /** Whether the CRM holds {@code person} as this record would write it (same values, last inbound within the step). */
    public boolean unchanged(CrmRecord person, State state) {
        if (state == null || !hash(person).equals(state.valuesHash())) {
            return false;
        }
        Instant now = lastInbound(person);
        Instant before = state.lastInboundAt();
        return now == null || before != null && !now.isBefore(before)
                && Duration.between(before, now).compareTo(lastInboundStep) < 0;
    }

    /** The person's open conversation record checked within the recheck interval (trusted), or null. */
    public String trustedConversation(State state) {
        if (state == null || state.caseKey() == null || state.caseCheckedAt() == null) {
            return null;
        }
        return state.caseCheckedAt().isAfter(Instant.now().minus(recheck)) ? state.caseKey() : null;
    }

    /** What writing {@code person} leaves the CRM holding, with the CRM's id of it when known. */
    public State written(CrmRecord person, String recordId) {
        return State.written(person.key(), hash(person), lastInbound(person), recordId);
    }

    private static Instant lastInbound(CrmRecord person) {
        Object at = person.values().get(LAST_INBOUND);
        return at == null ? null : Instant.parse(at.toString());
    }

    /** The person record as written, its last inbound time apart. */
    static String hash(CrmRecord person) {
        Map<String, Object> values = new TreeMap<>(person.values());
        values.remove(LAST_INBOUND);
        return Sha256.hex(person.key() + "\n" + values + "\n" + new TreeMap<>(person.references()));
    }
}
