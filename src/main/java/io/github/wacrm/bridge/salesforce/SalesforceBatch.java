package io.github.wacrm.bridge.salesforce;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.crm.SinkBatch;

import io.github.wacrm.bridge.salesforce.SalesforceFactMapper.CaseIntent;

import static io.github.wacrm.bridge.salesforce.SalesforceProperties.ACCOUNT_EVENT;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CASE;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.CONTACT;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.LEAD;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.MESSAGE;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.PHONE_NUMBER;
import static io.github.wacrm.bridge.salesforce.SalesforceProperties.TEMPLATE;

/**
 * One batch of facts on its way to Salesforce: the merged records, the calls still to make (people first, then the
 * Cases that point at them, then messages and the rest), and what Salesforce refused. Lives in the exchange property
 * {@code salesforceBatch} for the length of one pass of the sink route.
 */
public final class SalesforceBatch extends SinkBatch {

    /** Write order: a stage's records are all written before the next stage starts. */
    static final List<List<String>> STAGES = List.of(
            List.of(CONTACT, LEAD), List.of(CASE), List.of(MESSAGE, TEMPLATE, PHONE_NUMBER, ACCOUNT_EVENT));

    /** One sObject Collections upsert: up to 200 records of one type. */
    public record Call(String type, List<CrmRecord> records) {
    }

    private final Map<String, CaseIntent> caseIntents = new LinkedHashMap<>();
    /** wamids of the inbound messages that belong in a Case. */
    private final Set<String> caseMessages = new HashSet<>();
    private final Deque<Call> pending = new ArrayDeque<>();
    private final List<CrmRecord> lockRetries = new ArrayList<>();
    private int stage = -1;
    private boolean openCasesResolved;
    private String nextCasePage;
    /** People per open-Case query: keeps the GET URL far below Salesforce's 16 KB limit. */
    static final int CASE_QUERY_SIZE = 100;
    private final Deque<List<String>> caseQueries = new ArrayDeque<>();
    private final Map<String, String> openCaseByPerson = new LinkedHashMap<>();
    private final Map<String, String> caseByPerson = new LinkedHashMap<>();
    private final Set<String> queriedPeople = new HashSet<>();
    private long retryPauseMillis;
    private Call current;
    private final int maxRecordsPerCall;

    public SalesforceBatch(int maxRecordsPerCall) {
        this.maxRecordsPerCall = maxRecordsPerCall;
    }

    public void addCaseIntent(CaseIntent intent) {
        caseIntents.putIfAbsent(intent.personExternalId(), intent);
        caseMessages.add(intent.wamid());
    }

    // ---- open WhatsApp Cases ------------------------------------------------------------------------------------

    /**
     * The next page of the current open-Case query ({@code nextRecordsUrl}) when Salesforce answered it in several
     * (more rows than its batch size); null otherwise.
     */
    public String nextCasePage() {
        return nextCasePage;
    }

    /** Whether open Cases are still to be looked up (one query per {@link #CASE_QUERY_SIZE} people). */
    public boolean needsOpenCaseQuery() {
        return !openCasesResolved && !caseQueries.isEmpty();
    }

    /**
     * Once every fact is in: the people whose open Case the bridge knows ({@code known}, person → Case key, checked
     * lately) are not asked about; the others who asked for a Case are split into queries. With none to ask, the
     * Cases are decided now.
     */
    public void planCaseQueries(Map<String, String> known, SalesforceProperties properties) {
        List<String> people = new ArrayList<>();
        for (String person : caseIntents.keySet()) {
            String key = known.get(person);
            if (key != null) {
                openCaseByPerson.put(person, key);
            } else {
                people.add(person);
                queriedPeople.add(person);
            }
        }
        for (int from = 0; from < people.size(); from += CASE_QUERY_SIZE) {
            caseQueries.add(people.subList(from, Math.min(people.size(), from + CASE_QUERY_SIZE)));
        }
        if (caseQueries.isEmpty() && !caseIntents.isEmpty()) {
            applyOpenCases(openCaseByPerson, properties);
        }
    }

    /** The people (external ids) of the batch whose messages belong in a Case. */
    public java.util.Set<String> caseIntentPeople() {
        return caseIntents.keySet();
    }

    /** Person → the key of the Case this batch's messages of that person point at (found, known or created). */
    public Map<String, String> caseByPerson() {
        return caseByPerson;
    }

    /** Whether this batch asked Salesforce for the person's open Case (rather than trusting what it knew). */
    public boolean queried(String person) {
        return queriedPeople.contains(person);
    }

    /** The people of the next open-Case query. */
    public List<String> nextCaseQuery() {
        return caseQueries.peek();
    }

    /**
     * Records the open Cases one answer found; a query answered in pages goes on with its next page
     * ({@code nextRecordsUrl}); after the last page of the last query, decides the Cases (see below).
     */
    public void openCasesFound(Map<String, String> found, String nextRecordsUrl, SalesforceProperties properties) {
        found.forEach(openCaseByPerson::putIfAbsent);
        nextCasePage = nextRecordsUrl;
        if (nextRecordsUrl != null) {
            return;
        }
        caseQueries.poll();
        if (caseQueries.isEmpty()) {
            applyOpenCases(openCaseByPerson, properties);
        }
    }

    /**
     * Applies the open Cases found (person → conversation key): messages of a person with an open Case point at it;
     * for the others a Case is created, keyed by the wamid of the person's first message in the batch, so a replay
     * of that message finds the same Case.
     */
    void applyOpenCases(Map<String, String> openCaseByPerson, SalesforceProperties properties) {
        openCasesResolved = true;
        Map<String, String> keyByPerson = new LinkedHashMap<>();
        for (CaseIntent intent : caseIntents.values()) {
            String key = openCaseByPerson.get(intent.personExternalId());
            if (key == null) {
                key = intent.wamid();
                add(new CrmRecord(CASE, key).fact(intent.fact())
                        .put("whatsappId", SalesforceTextLimits.cut("whatsappId", intent.personExternalId()))
                        .put("phoneNumberId", SalesforceTextLimits.cut("phoneNumberId", intent.phoneNumberId()))
                        .put("subject", SalesforceTextLimits.cut("subject", properties.conversations().caseSubject()))
                        .put("origin", SalesforceTextLimits.cut("origin", properties.conversations().caseOrigin()))
                        .reference(CONTACT, intent.personExternalId()));
            }
            keyByPerson.put(intent.personExternalId(), key);
        }
        caseByPerson.putAll(keyByPerson);
        for (CrmRecord message : records(MESSAGE)) {
            String person = message.references().get(CONTACT);
            if (person != null && caseMessages.contains(message.externalId()) && keyByPerson.containsKey(person)) {
                message.reference(CASE, keyByPerson.get(person));
            }
        }
    }

    // ---- calls ---------------------------------------------------------------------------------------------------

    /** Whether another call is due; moves to the next stage when the current one is written. */
    public boolean hasPendingCalls() {
        return !pending.isEmpty() || queueNextStage();
    }

    private boolean queueNextStage() {
        if (!lockRetries.isEmpty()) {
            queue(lockRetries);
            lockRetries.clear();
            return !pending.isEmpty();
        }
        while (stage + 1 < STAGES.size()) {
            stage++;
            for (String type : STAGES.get(stage)) {
                queue(records(type));
            }
            if (!pending.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void queue(List<CrmRecord> batch) {
        Map<String, List<CrmRecord>> byType = new LinkedHashMap<>();
        for (CrmRecord record : batch) {
            byType.computeIfAbsent(record.type(), k -> new ArrayList<>()).add(record);
        }
        for (Map.Entry<String, List<CrmRecord>> entry : byType.entrySet()) {
            List<CrmRecord> list = entry.getValue();
            for (int from = 0; from < list.size(); from += maxRecordsPerCall) {
                pending.add(new Call(entry.getKey(), List.copyOf(list.subList(from, Math.min(list.size(),
                        from + maxRecordsPerCall)))));
            }
        }
    }

    public Call nextCall() {
        retryPauseMillis = 0;
        current = pending.poll();
        return current;
    }

    public Call currentCall() {
        return current;
    }

    /** Sent again at the end of the stage, after a pause (Salesforce's record locks are short). */
    public void retryForLock(CrmRecord record, long pauseMillis) {
        lockRetries.add(record);
        retryPauseMillis = Math.max(retryPauseMillis, pauseMillis);
    }

    /** New records Salesforce could not create without their required values: sent again at once, with them. */
    public void retryWithCreateValues(List<CrmRecord> records) {
        Deque<Call> before = new ArrayDeque<>(pending);
        pending.clear();
        queue(records);
        pending.addAll(before);
    }

    public long retryPauseMillis() {
        return pending.isEmpty() && !lockRetries.isEmpty() ? retryPauseMillis : 0;
    }

    public void rejectRecord(CrmRecord record, String detail) {
        rejectRecord(record, "salesforce_rejected", detail);
    }

    static Map<String, String> openCases(JsonNode queryResult, String keyField, String personField) {
        Map<String, String> open = new LinkedHashMap<>();
        for (JsonNode record : queryResult.path("records")) {
            String person = record.path(personField).asText(null);
            String key = record.path(keyField).asText(null);
            if (person != null && key != null) {
                open.putIfAbsent(person, key);
            }
        }
        return open;
    }
}
