package io.github.wacrm.bridge.salesforce;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.outbound.Sha256;
import io.github.wacrm.bridge.state.PersonStates;
import io.github.wacrm.bridge.state.PersonStates.State;

import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CASE;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CONTACT;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.LEAD;

/**
 * The calls a Salesforce batch need not make, from what the sink itself wrote before ({@link PersonStates}):
 * <ul>
 *   <li>a Contact or Lead whose values are those it last wrote, and whose last inbound time moved by less than
 *       {@code whatsapp.salesforce.known-people.last-inbound-step-ms}, is not written again (so "last inbound at" in
 *       Salesforce may lag the latest message by up to that step: the 24 h window it shows closes that much early,
 *       never late);</li>
 *   <li>a person whose open Case the sink found or opened within
 *       {@code whatsapp.salesforce.known-people.open-case-recheck-ms} is not asked about again: the messages go to that
 *       Case (one an agent closed within that time still gets them; 0 asks every batch, as before).</li>
 * </ul>
 */
@Component
public class KnownPeople {

    private static final String CRM = "salesforce";
    private static final String LAST_INBOUND = "lastInboundAt";

    private final PersonStates states;
    private final Duration lastInboundStep;
    private final Duration openCaseRecheck;

    public KnownPeople(PersonStates states,
            @Value("${whatsapp.salesforce.known-people.last-inbound-step-ms:300000}") long lastInboundStepMs,
            @Value("${whatsapp.salesforce.known-people.open-case-recheck-ms:600000}") long openCaseRecheckMs) {
        this.states = states;
        this.lastInboundStep = Duration.ofMillis(lastInboundStepMs);
        this.openCaseRecheck = Duration.ofMillis(openCaseRecheckMs);
    }

    /**
     * Before the batch's calls are planned: drops the people Salesforce already holds as they are, and answers the
     * open Cases known (person → Case key) for {@link SalesforceBatch#planCaseQueries}.
     */
    public Map<String, String> leaveOutKnown(SalesforceBatch batch) {
        List<CrmRecord> people = people(batch);
        List<String> keys = new ArrayList<>();
        people.forEach(person -> keys.add(person.key()));
        batch.caseIntentPeople().forEach(person -> keys.add(contactKey(person)));
        Map<String, State> known = states.read(CRM, keys);
        for (CrmRecord person : people) {
            State state = known.get(person.key());
            if (state != null && hash(person).equals(state.valuesHash()) && within(lastInbound(person),
                    state.lastInboundAt(), lastInboundStep)) {
                batch.drop(person);
            }
        }
        Map<String, String> openCases = new HashMap<>();
        Instant since = Instant.now().minus(openCaseRecheck);
        for (String person : batch.caseIntentPeople()) {
            State state = known.get(contactKey(person));
            if (state != null && state.caseKey() != null && state.caseCheckedAt() != null
                    && state.caseCheckedAt().isAfter(since)) {
                openCases.put(person, state.caseKey());
            }
        }
        return openCases;
    }

    /** After the batch is written: what it wrote of each person, and the Case each person's messages went to. */
    public void remember(SalesforceBatch batch) {
        List<State> written = new ArrayList<>();
        for (CrmRecord person : people(batch)) {
            if (!batch.refused(person)) {
                written.add(new State(person.key(), hash(person), lastInbound(person), null, null));
            }
        }
        Map<String, CrmRecord> created = new HashMap<>();
        batch.records(CASE).forEach(c -> created.put(c.externalId(), c));
        Instant now = Instant.now();
        batch.caseByPerson().forEach((person, caseKey) -> {
            CrmRecord opened = created.get(caseKey);
            if (opened != null && batch.refused(opened)) {
                return;
            }
            // a Case found or opened now is checked now; one trusted from before keeps its check time
            boolean checked = batch.queried(person) || opened != null;
            written.add(new State(contactKey(person), null, null, caseKey, checked ? now : null));
        });
        states.save(CRM, written);
    }

    private static List<CrmRecord> people(SalesforceBatch batch) {
        List<CrmRecord> people = new ArrayList<>(batch.records(CONTACT));
        people.addAll(batch.records(LEAD));
        return people;
    }

    private static String contactKey(String personExternalId) {
        return new CrmRecord(CONTACT, personExternalId).key();
    }

    private static boolean within(Instant now, Instant before, Duration step) {
        if (now == null) {
            return true;
        }
        return before != null && !now.isBefore(before) && Duration.between(before, now).compareTo(step) < 0;
    }

    private static Instant lastInbound(CrmRecord person) {
        Object at = person.values().get(LAST_INBOUND);
        return at == null ? null : Instant.parse(at.toString());
    }

    /** The person record as written, its last inbound time apart (that moves with every message). */
    static String hash(CrmRecord person) {
        Map<String, Object> values = new TreeMap<>(person.values());
        values.remove(LAST_INBOUND);
        return Sha256.hex(person.key() + "\n" + values + "\n" + new TreeMap<>(person.references()));
    }
}
