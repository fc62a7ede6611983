package io.github.wacrm.bridge.salesforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.crm.WrittenPeople;
import io.github.wacrm.bridge.state.PersonStates;
import io.github.wacrm.bridge.state.PersonStates.State;

import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CASE;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CONTACT;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.LEAD;

/**
 * The calls a Salesforce batch need not make, from what the sink itself wrote before ({@link WrittenPeople}): a
 * Contact or Lead Salesforce already holds as it is, and the open-Case query of a person whose Case the sink found
 * or opened lately ({@code whatsapp.salesforce.known-people.*}).
 */
@Component
public class KnownPeople {

    private final WrittenPeople people;

    public KnownPeople(PersonStates states,
            @Value("${whatsapp.salesforce.known-people.last-inbound-step-ms:300000}") long lastInboundStepMs,
            @Value("${whatsapp.salesforce.known-people.open-case-recheck-ms:600000}") long openCaseRecheckMs) {
        this.people = new WrittenPeople(states, "salesforce", lastInboundStepMs, openCaseRecheckMs);
    }

    /**
     * Before the batch's calls are planned: drops the people Salesforce already holds as they are, and answers the
     * open Cases known (person → Case key) for {@link SalesforceBatch#planCaseQueries}.
     */
    public Map<String, String> leaveOutKnown(SalesforceBatch batch) {
        List<CrmRecord> persons = persons(batch);
        List<String> keys = new ArrayList<>();
        persons.forEach(person -> keys.add(person.key()));
        batch.caseIntentPeople().forEach(person -> keys.add(contactKey(person)));
        Map<String, State> known = people.read(keys);
        for (CrmRecord person : persons) {
            if (people.unchanged(person, known.get(person.key()))) {
                batch.drop(person);
            }
        }
        Map<String, String> openCases = new HashMap<>();
        for (String person : batch.caseIntentPeople()) {
            String caseKey = people.trustedConversation(known.get(contactKey(person)));
            if (caseKey != null) {
                openCases.put(person, caseKey);
            }
        }
        return openCases;
    }

    /** After the batch is written: what it wrote of each person, and the Case each person's messages went to. */
    public void remember(SalesforceBatch batch) {
        List<State> written = new ArrayList<>();
        for (CrmRecord person : persons(batch)) {
            if (!batch.refused(person)) {
                written.add(people.written(person, null));
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
            written.add(State.conversation(contactKey(person), caseKey, checked ? now : null));
        });
        people.save(written);
    }

    private static List<CrmRecord> persons(SalesforceBatch batch) {
        List<CrmRecord> persons = new ArrayList<>(batch.records(CONTACT));
        persons.addAll(batch.records(LEAD));
        return persons;
    }

    private static String contactKey(String personExternalId) {
        return new CrmRecord(CONTACT, personExternalId).key();
    }
}
