package io.github.wacrm.bridge.crm;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One CRM record the bridge will upsert, keyed by its external id, in logical field names that each sink maps to its
 * CRM's names (Salesforce: {@code whatsapp.salesforce.objects}; HubSpot: {@code HubSpotSchema}). Several facts of a
 * batch can touch the same record (a message and its three statuses); they are merged into one record, so one upsert
 * carries them all. Every value carries the time of the event it came from ({@link #stamp}), and a merge keeps the
 * value of the latest event, whatever order the facts arrived in (status times keep the first time instead).
 */
public final class CrmRecord {

    /** Fields whose latest value wins by time, not by arrival (the 24 h window never moves backwards). */
    private static final Set<String> LATEST_TIME = Set.of("lastInboundAt", "optInDate", "lastEventAt");
    /** Status times keep the first time seen: a repeated status changes nothing. See {@link #statusTimeField}. */
    private static final Set<String> FIRST_TIME = Set.of("sentAt", "deliveredAt", "readAt", "failedAt");

    private final String type;
    private final String externalId;
    private final Map<String, Object> values = new LinkedHashMap<>();
    /** Field → the time of the event its value came from (absent when the fact had no time). */
    private final Map<String, Instant> times = new HashMap<>();
    /** Logical reference (contact, lead, case) → external id of the referenced record. */
    private final Map<String, String> references = new LinkedHashMap<>();
    /** Values the CRM needs only to create the record (a name, a company, a timestamp), sent once it is known to be new. */
    private final Map<String, Object> createOnly = new LinkedHashMap<>();
    /** Offsets (in the batch) of the facts this record carries. */
    private final Set<Integer> facts = new TreeSet<>();
    private boolean sendCreateOnly;
    private int attempts;

    /** The field a message status sets its time in ({@code sentAt} ...), or null for a status no CRM keeps. */
    public static String statusTimeField(String status) {
        return status == null ? null : switch (status) {
            case "sent" -> "sentAt";
            case "delivered" -> "deliveredAt";
            case "read" -> "readAt";
            case "failed" -> "failedAt";
            default -> null;
        };
    }

    public CrmRecord(String type, String externalId) {
        this.type = type;
        this.externalId = externalId;
    }

    public CrmRecord put(String field, Object value) {
        if (value != null) {
            values.put(field, value);
        }
        return this;
    }

    public CrmRecord reference(String relation, String externalIdValue) {
        if (externalIdValue != null) {
            references.put(relation, externalIdValue);
        }
        return this;
    }

    public CrmRecord createOnly(String field, Object value) {
        if (value != null) {
            createOnly.put(field, value);
        }
        return this;
    }

    public CrmRecord fact(int index) {
        facts.add(index);
        return this;
    }

    /** The time of the fact this record was mapped from: every value it carries so far came from that event. */
    public CrmRecord stamp(Instant eventAt) {
        if (eventAt != null) {
            values.keySet().forEach(field -> times.putIfAbsent(field, eventAt));
        }
        return this;
    }

    /** When the event behind {@code field}'s value happened, or null when unknown. */
    public Instant timeOf(String field) {
        return times.get(field);
    }

    /** Folds another fact's record for the same external id into this one: per field, the latest event wins. */
    public void merge(CrmRecord later) {
        for (Map.Entry<String, Object> entry : later.values.entrySet()) {
            String field = entry.getKey();
            Object current = values.get(field);
            Object next = entry.getValue();
            Instant mine = times.get(field);
            Instant theirs = later.times.get(field);
            boolean takeNext;
            if (current == null) {
                takeNext = true;
            } else if (LATEST_TIME.contains(field)) {
                takeNext = instant(next).isAfter(instant(current));
            } else if (FIRST_TIME.contains(field)) {
                takeNext = instant(next).isBefore(instant(current));
            } else {
                // an older event never replaces a newer one; equal or unknown times: the later arrival
                takeNext = mine == null || theirs == null || !theirs.isBefore(mine);
            }
            if (takeNext) {
                values.put(field, next);
                if (theirs != null) {
                    times.put(field, theirs);
                } else {
                    times.remove(field);
                }
            }
        }
        references.putAll(later.references);
        later.createOnly.forEach(createOnly::putIfAbsent);
        facts.addAll(later.facts);
    }

    private static Instant instant(Object isoTime) {
        return Instant.parse(isoTime.toString());
    }

    public String type() {
        return type;
    }

    public String externalId() {
        return externalId;
    }

    public Map<String, Object> values() {
        return values;
    }

    public Map<String, String> references() {
        return references;
    }

    public Map<String, Object> createOnlyValues() {
        return createOnly;
    }

    public Set<Integer> facts() {
        return facts;
    }

    public boolean sendsCreateOnly() {
        return sendCreateOnly;
    }

    /** The CRM refused to create the record without its required fields: send them from now on. */
    public boolean includeCreateOnly() {
        if (sendCreateOnly || createOnly.isEmpty()) {
            return false;
        }
        sendCreateOnly = true;
        return true;
    }

    /** How often the CRM refused this record for a passing reason (a lock, a partial batch failure). */
    public int attempts() {
        return attempts;
    }

    public void attemptFailed() {
        attempts++;
    }

    public String key() {
        return type + "|" + externalId;
    }
}
