package io.github.wacrm.bridge.emulator.hubspot;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Failure;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Property;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;

/**
 * The portal's records of each object type: HubSpot ids, the index of unique property values, writing values onto a
 * record (the timestamps HubSpot keeps with them), finding a record by id or unique value, and a record in the shape
 * HubSpot answers with. Not locked itself: {@link HubSpotPortal} calls it under its one lock.
 */
final class HubSpotRecords {

    private final HubSpotPropertySchema schema;
    private final Map<String, Map<String, Record>> records = new HashMap<>();
    /** "type|property" → value → record, for unique properties. */
    private final Map<String, Map<String, Record>> uniqueIndex = new HashMap<>();
    private final AtomicLong nextId = new AtomicLong(100_000);

    HubSpotRecords(HubSpotPropertySchema schema) {
        this.schema = schema;
    }

    /** No records of these types (ids go on from where they were). */
    void reset(Collection<String> types) {
        records.clear();
        uniqueIndex.clear();
        for (String type : types) {
            records.put(type, new LinkedHashMap<>());
        }
    }

    boolean exists(String type, String id) {
        return records.get(type).containsKey(id);
    }

    /** The records of a type in the order of their ids. */
    Collection<Record> byIdOrder(String type) {
        TreeMap<String, Record> byId = new TreeMap<>(java.util.Comparator.comparingLong(Long::parseLong));
        byId.putAll(records.get(type));
        return byId.values();
    }

    /** Records of a type whose property equals the value. */
    List<Record> find(String type, String property, String value) {
        return records.get(type).values().stream().filter(r -> value.equals(r.properties.get(property))).toList();
    }

    /** Every record of a type (a copy). */
    List<Record> all(String type) {
        return List.copyOf(records.get(type).values());
    }

    int count(String type) {
        return records.get(type).size();
    }

    /** Sets a property as an agent would in HubSpot's UI (no validation). */
    void edit(String type, String id, String property, String value) {
        Record record = records.get(type).get(id);
        record.properties.put(property, value);
        record.updatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The record with this id, or with this value of the unique {@code idProperty} when one is named. */
    Record byId(String type, String id, String idProperty) {
        if (idProperty == null || idProperty.isBlank() || "hs_object_id".equals(idProperty)) {
            return records.get(type).get(id);
        }
        return findUnique(type, idProperty, id);
    }

    Record findUnique(String type, String property, String value) {
        Property definition = schema.property(type, property);
        if (definition != null && definition.unique()) {
            return uniqueIndex.getOrDefault(type + "|" + property, Map.of()).get(value);
        }
        for (Record r : records.get(type).values()) {
            if (value.equals(r.properties.get(property))) {
                return r;
            }
        }
        return null;
    }

    /** A 409 when one of these values of a unique property belongs to another record than {@code selfId}. */
    Failure uniqueConflict(String type, Map<String, String> values, String selfId) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            Property property = schema.property(type, entry.getKey());
            if (property != null && property.unique() && entry.getValue() != null) {
                Record other = findUnique(type, entry.getKey(), entry.getValue());
                if (other != null && !other.id.equals(selfId)) {
                    return new Failure(409, "CONFLICT", "A " + type + " with " + entry.getKey() + " '"
                            + entry.getValue() + "' already exists. Existing ID: " + other.id, Map.of(entry.getKey(),
                                    List.of(entry.getValue())));
                }
            }
        }
        return null;
    }

    Record newRecord(String type) {
        Record record = new Record(String.valueOf(nextId.incrementAndGet()));
        records.get(type).put(record.id, record);
        record.properties.put("hs_object_id", record.id);
        record.properties.put("hs_createdate", record.createdAt.toString());
        if (type.equals("contacts")) {
            record.properties.put("createdate", record.createdAt.toString());
        }
        return record;
    }

    /** Archives a record: it leaves the unique index and is found no more; false when there is none. */
    boolean remove(String type, String id) {
        Record record = records.get(type).remove(id);
        if (record == null) {
            return false;
        }
        uniqueIndex.forEach((key, index) -> index.values().removeIf(r -> r == record));
        return true;
    }

    /**
     * Writes the values (an empty or null value clears the property) in the form HubSpot keeps them (datetimes
     * ISO-8601 to the millisecond, dates YYYY-MM-DD), keeping the unique index.
     */
    void apply(String type, Record record, Map<String, String> values) {
        values.replaceAll((k, v) -> schema.canonical(type, k, v));
        values.forEach((k, v) -> {
            Property definition = schema.property(type, k);
            if (definition != null && definition.unique()) {
                Map<String, Record> index = uniqueIndex.computeIfAbsent(type + "|" + k, key -> new HashMap<>());
                String old = record.properties.get(k);
                if (old != null) {
                    index.remove(old);
                }
                if (v != null && !v.isEmpty()) {
                    index.put(v, record);
                }
            }
            if (v == null || v.isEmpty()) {
                record.properties.remove(k);
            } else {
                record.properties.put(k, v);
            }
        });
        record.updatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        record.properties.put("hs_lastmodifieddate", record.updatedAt.toString());
    }

    /** The record as HubSpot answers it: id, timestamps, and the wanted properties. */
    static Map<String, Object> result(String type, Record record, Collection<String> wanted) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("hs_object_id", record.id);
        props.put("hs_createdate", record.properties.get("hs_createdate"));
        props.put("hs_lastmodifieddate", record.properties.get("hs_lastmodifieddate"));
        for (String name : wanted) {
            props.put(name, record.properties.get(name));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", record.id);
        result.put("properties", props);
        result.put("createdAt", record.createdAt.toString());
        result.put("updatedAt", record.updatedAt.toString());
        result.put("archived", false);
        return result;
    }
}
