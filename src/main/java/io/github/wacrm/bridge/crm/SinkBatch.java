package io.github.wacrm.bridge.crm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.pipeline.KafkaOffsets;
import io.github.wacrm.bridge.state.CustomerWindow;
import io.github.wacrm.bridge.state.FieldClocks;

/**
 * What every CRM sink keeps for one batch of facts: the facts as read, the records they touch (merged by external id),
 * the facts refused for good with their reasons, and whether something is still owed (the batch then goes again).
 */
public abstract class SinkBatch {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final List<SinkFact> facts = new ArrayList<>();
    private final Map<String, CrmRecord> records = new LinkedHashMap<>();
    private final Map<Integer, SinkRejection> rejections = new TreeMap<>();
    /** Inbound messages of the batch, for the 24 h window, and each person's hashed identity. */
    private final List<CustomerWindow.Inbound> inbound = new ArrayList<>();
    private final Map<String, String> identityHashByPerson = new LinkedHashMap<>();
    /** Records the CRM refused (by key): their values were not written. */
    private final Set<String> refusedRecords = new java.util.HashSet<>();
    private boolean incomplete;

    /**
     * Reads the batch's Kafka records (a list of exchanges): a fact that cannot be read, or whose time cannot, is
     * rejected as {@code unreadable_fact}; every other one is handed to {@code each} with its index and its time
     * (parsed once; null when the fact has none).
     */
    private void read(List<?> kafkaRecords, ReadFact each) {
        for (int i = 0; i < kafkaRecords.size(); i++) {
            Message record = ((Exchange) kafkaRecords.get(i)).getMessage();
            CanonicalEvent fact;
            try {
                fact = JSON.readValue(record.getBody(byte[].class), CanonicalEvent.class);
            } catch (Exception unreadable) {
                facts.add(SinkFact.of(i, record, null));
                reject(i, "unreadable_fact", unreadable.getClass().getSimpleName());
                continue;
            }
            facts.add(SinkFact.of(i, record, fact));
            Instant at = CanonicalEvent.instant(fact.occurredAt);
            if (fact.occurredAt != null && at == null) {
                reject(i, "unreadable_fact", "occurredAt is not an ISO-8601 instant");
                continue;
            }
            each.accept(i, fact, at);
        }
    }

    /**
     * Reads the batch and maps each fact with the CRM's mapper: a fact the mapper throws on is
     * dead-lettered as {@code processing_failed}, a skipped one counted; the records of the others are added (merged),
     * their inbound messages noted for the 24 h window, and {@code then} sees each mapped fact.
     */
    public <M extends MappedFact> void map(List<?> kafkaRecords, BiFunction<CanonicalEvent, Integer, M> mapper,
            SinkMetrics metrics, String crm, Logger log, BiConsumer<CanonicalEvent, M> then) {
        read(kafkaRecords, (i, fact, at) -> {
            M mapped;
            try {
                mapped = mapper.apply(fact, i);
            } catch (RuntimeException unmappable) {
                log.error("A fact could not be mapped to {} records; sent to the {} dead-letter topic", crm, crm,
                        unmappable);
                reject(i, "processing_failed", unmappable.getClass().getSimpleName());
                return;
            }
            if (mapped.skippedReason() != null) {
                metrics.skipped(mapped.skippedReason());
                return;
            }
            mapped.records().forEach(record -> add(record.stamp(at)));
            then.accept(fact, mapped);
            inbound(fact, at, Customer.whatsappId(fact.customer));
        });
        metrics.batch(kafkaRecords.size());
    }

    /** One fact of the batch that could be read, with its index and its time. */
    @FunctionalInterface
    private interface ReadFact {
        void accept(int index, CanonicalEvent fact, Instant at);
    }

    public List<SinkFact> facts() {
        return facts;
    }

    public SinkFact fact(int index) {
        return facts.get(index);
    }

    /** Adds a record, or folds it into the one with the same type and external id. */
    public void add(CrmRecord record) {
        CrmRecord existing = records.get(record.key());
        if (existing == null) {
            records.put(record.key(), record);
        } else {
            existing.merge(record);
        }
    }

    /** Leaves a record out of the batch's writes (the CRM holds it as it is). */
    public void drop(CrmRecord record) {
        records.remove(record.key());
    }

    /** Whether the CRM refused the record (its values were not written). */
    public boolean refused(CrmRecord record) {
        return refusedRecords.contains(record.key());
    }

    public List<CrmRecord> records(String type) {
        return records.values().stream().filter(r -> r.type().equals(type)).toList();
    }

    // ---- the 24 h window -----------------------------------------------------------------------------------------

    /** Notes an inbound message of the person the CRM keys by {@code personId}, for its last inbound time. */
    private void inbound(CanonicalEvent fact, Instant at, String personId) {
        // a message of the onboarding history is no inbound: it opens no 24 h window
        if (fact.kind == EventKind.MESSAGE && fact.customer != null && fact.customer.identityHash != null && at != null
                && personId != null && (fact.payload == null || !fact.payload.path("history").asBoolean(false))) {
            inbound.add(new CustomerWindow.Inbound(fact.customer.identityHash,
                    fact.phoneNumberId == null ? "" : fact.phoneNumberId, at));
            identityHashByPerson.put(personId, fact.customer.identityHash);
        }
    }

    /**
     * Records the batch's inbound messages in the shared window (PostgreSQL) and sets each person's
     * {@code lastInboundAt} to the latest time ever seen, so a late redelivery cannot move it backwards.
     */
    public void advanceWindow(CustomerWindow window, List<String> personTypes) {
        Map<String, Instant> latest = window.advance(inbound);
        for (String type : personTypes) {
            for (CrmRecord person : records(type)) {
                String identityHash = identityHashByPerson.get(person.externalId());
                Instant windowStart = identityHash == null ? null : latest.get(identityHash);
                if (windowStart != null && person.values().containsKey("lastInboundAt")) {
                    person.values().put("lastInboundAt", windowStart.toString());
                }
            }
        }
    }

    // ---- values the CRM already holds from a later event -------------------------------------------------------

    /**
     * Drops from the records of {@code types} every value whose event is older than the one the CRM already holds
     * from the bridge ({@link FieldClocks}, one statement): a late "resume" never undoes an earlier-processed, newer
     * "stop". Answers how many values were dropped.
     */
    public int dropStale(FieldClocks clocks, String crm, Collection<String> types) {
        List<CrmRecord> timed = timedRecords(types);
        Map<String, Map<String, Instant>> held = clocks.read(crm, timed.stream().map(CrmRecord::key).toList());
        int dropped = 0;
        for (CrmRecord record : timed) {
            Map<String, Instant> fields = held.getOrDefault(record.key(), Map.of());
            for (String field : List.copyOf(record.values().keySet())) {
                Instant at = record.timeOf(field);
                Instant holds = fields.get(field);
                if (at != null && holds != null && at.isBefore(holds)) {
                    record.values().remove(field);
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** After the batch is written: the clocks of the values written (the records the CRM did not refuse). */
    public void advanceClocks(FieldClocks clocks, String crm, Collection<String> types) {
        List<FieldClocks.Clock> written = new ArrayList<>();
        for (CrmRecord record : timedRecords(types)) {
            if (refusedRecords.contains(record.key())) {
                continue;
            }
            for (String field : record.values().keySet()) {
                Instant at = record.timeOf(field);
                if (at != null) {
                    written.add(new FieldClocks.Clock(record.key(), field, at));
                }
            }
        }
        clocks.advance(crm, written);
    }

    private List<CrmRecord> timedRecords(Collection<String> types) {
        return records.values().stream().filter(r -> types.contains(r.type())).toList();
    }

    // ---- rejections ----------------------------------------------------------------------------------------------

    public void reject(int factIndex, String reason, String detail) {
        rejections.putIfAbsent(factIndex, new SinkRejection(facts.get(factIndex), reason, detail));
    }

    /** The CRM refused {@code record} itself: its facts are dead-lettered, and no clock moves for it. */
    public void rejectRecord(CrmRecord record, String reason, String detail) {
        refusedRecords.add(record.key());
        rejectFacts(record.facts(), reason, detail);
    }

    public void rejectFacts(Set<Integer> factIndexes, String reason, String detail) {
        for (int fact : factIndexes) {
            reject(fact, reason, detail);
        }
    }

    public List<SinkRejection> rejections() {
        return List.copyOf(rejections.values());
    }

    /** For each fact written (not rejected): the time from the webhook's receipt until now. */
    public List<Duration> sinceReceipt(Instant now) {
        List<Duration> latencies = new ArrayList<>();
        for (SinkFact fact : facts) {
            Instant received = CanonicalEvent.instant(fact.receivedAt());
            if (received != null && !rejections.containsKey(fact.index())) {
                latencies.add(Duration.between(received, now));
            }
        }
        return latencies;
    }

    /** Something could not be written yet for a passing reason: the batch is read again later. */
    public void markIncomplete() {
        incomplete = true;
    }

    public boolean isIncomplete() {
        return incomplete;
    }

    /**
     * The end of a written batch: each written fact's latency and each rejection counted, the rejections logged (how
     * many, never what) and answered for the dead-letter topic.
     */
    public List<SinkRejection> close(SinkMetrics metrics, String crm, Logger log) {
        sinceReceipt(Instant.now()).forEach(metrics::written);
        List<SinkRejection> refused = rejections();
        refused.forEach(r -> metrics.deadLetter(r.reason()));
        if (!refused.isEmpty()) {
            log.warn("{} of {} facts refused by {} for good; sent to the {} dead-letter topic", refused.size(),
                    facts.size(), crm, crm);
        }
        return refused;
    }

    /** A batch that failed for an unexpected reason: every fact of it, as read, for the dead-letter topic. */
    public static List<SinkRejection> wholeBatch(Exchange exchange, SinkMetrics metrics, String crm, Logger log) {
        List<SinkRejection> rejections = wholeBatch(exchange);
        rejections.forEach(r -> metrics.deadLetter(r.reason()));
        log.error("{} fact(s) failed in the {} sink on their own; sent to the {} dead-letter topic", rejections.size(),
                crm, crm, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        return rejections;
    }

    private static List<SinkRejection> wholeBatch(Exchange exchange) {
        List<?> kafkaRecords = exchange.getProperty(KafkaOffsets.BATCH, List.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String detail = cause == null ? "unknown" : cause.getClass().getSimpleName();
        List<SinkRejection> rejections = new ArrayList<>();
        for (int i = 0; kafkaRecords != null && i < kafkaRecords.size(); i++) {
            rejections.add(new SinkRejection(SinkFact.of(i, ((Exchange) kafkaRecords.get(i)).getMessage(), null),
                    "processing_failed", detail));
        }
        return rejections;
    }
}
