package io.github.wacrm.bridge.emulator.salesforce;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The org's event bus: every platform event of the shipped metadata ({@code *__e}) is a topic
 * {@code /event/<Name>__e} with an Avro schema built as Salesforce builds it (CreatedDate, CreatedById, then each custom
 * field as an optional string), and every published event is kept in order with a replay id (8 bytes, growing) for
 * Pub/Sub subscribers ({@link SalesforcePubSubApi}). Salesforce keeps high-volume events for 72 hours; the emulator
 * keeps every event of its run.
 */
public final class SalesforceEventBus {

    /** One published event: its replay id, its own id (EventUuid), and its Avro payload. */
    public record Event(long replayId, String eventId, String schemaId, byte[] payload) {

        public byte[] replayIdBytes() {
            return ByteBuffer.allocate(8).putLong(replayId).array();
        }
    }

    /** A topic: its platform event, its schema and the events published on it. */
    public record Topic(String name, String object, Schema schema, String schemaJson, String schemaId,
            List<Event> events) {
    }

    private final Map<String, Topic> topics = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long nextReplayId = 1;
    private long purgedThrough;

    SalesforceEventBus(SalesforceSchema schema) {
        for (SalesforceSchema.SObject object : schema.objects()) {
            if (object.name().endsWith("__e")) {
                String json = avroSchema(object);
                topics.put("/event/" + object.name(), new Topic("/event/" + object.name(), object.name(),
                        new Schema.Parser().parse(json), json, schemaId(json), new ArrayList<>()));
            }
        }
    }

    public synchronized Optional<Topic> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public synchronized Optional<Topic> topicOfSchema(String schemaId) {
        return topics.values().stream().filter(t -> t.schemaId().equals(schemaId)).findFirst();
    }

    /**
     * Publishes an event of {@code object} with these field values (checked by the caller against the metadata):
     * returns its EventUuid.
     */
    public String publish(String object, Map<String, Object> fields) {
        Topic topic = topic("/event/" + object).orElseThrow(() -> new IllegalArgumentException("no event " + object));
        GenericRecord record = new GenericData.Record(topic.schema());
        record.put("CreatedDate", System.currentTimeMillis());
        record.put("CreatedById", SalesforceEmulator.USER_ID);
        fields.forEach((name, value) -> record.put(name, value == null ? null : value.toString()));
        return append(topic, encode(topic.schema(), record));
    }

    /** Appends an already encoded event (Pub/Sub {@code Publish}) and tells the subscribers; returns its EventUuid. */
    String append(Topic topic, byte[] payload) {
        String eventId = UUID.randomUUID().toString();
        synchronized (this) {
            topic.events().add(new Event(nextReplayId++, eventId, topic.schemaId(), payload));
        }
        // outside the bus's lock: a subscription takes its own lock, then reads the bus
        listeners.forEach(Runnable::run);
        return eventId;
    }

    /** The events after {@code replayId} (exclusive), at most {@code max}. */
    public synchronized List<Event> after(Topic topic, long replayId, int max) {
        List<Event> out = new ArrayList<>();
        for (Event event : topic.events()) {
            if (event.replayId() > replayId && out.size() < max) {
                out.add(event);
            }
        }
        return out;
    }

    /**
     * Salesforce's retention ran out for every event up to {@code replayId}: they are gone, and a subscription that
     * asks to start after one of them is refused (replay id corrupted), as after 72 hours away.
     */
    public synchronized void purgeThrough(long replayId) {
        topics.values().forEach(t -> t.events().removeIf(e -> e.replayId() <= replayId));
        purgedThrough = Math.max(purgedThrough, replayId);
    }

    /** The replay id of the last purged event (0 before any purge). */
    synchronized long purgedThrough() {
        return purgedThrough;
    }

    /** The replay id of the newest event anywhere on the bus (0 before any). */
    public synchronized long latestReplayId() {
        return nextReplayId - 1;
    }

    public synchronized List<Event> events(String object) {
        return List.copyOf(topic("/event/" + object).map(Topic::events).orElse(List.of()));
    }

    void onPublish(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** Forgets every event (the replay ids keep growing, as they do in an org). */
    public synchronized void reset() {
        topics.values().forEach(t -> t.events().clear());
    }

    private static String avroSchema(SalesforceSchema.SObject object) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "record").put("name", object.name())
                .put("namespace", "com.sforce.eventbus");
        ArrayNode fields = schema.putArray("fields");
        fields.addObject().put("name", "CreatedDate").put("type", "long").put("doc", "CreatedDate:DateTime");
        fields.addObject().put("name", "CreatedById").put("type", "string").put("doc", "CreatedBy:EntityId");
        for (SalesforceSchema.Field field : object.fields().values()) {
            ObjectNode f = fields.addObject().put("name", field.name());
            f.putArray("type").add("null").add("string");
            f.put("doc", "Data:" + field.type());
            f.putNull("default");
        }
        return schema.toString();
    }

    private static String schemaId(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encode(Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
