package io.github.wacrm.bridge.support;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes facts straight to the facts topic (what the router would publish), for the sinks' failure tests. */
public final class FactsTopic {

    private FactsTopic() {
    }

    public static void produce(String fact) throws Exception {
        produce("whatsapp.facts", "k", fact);
    }

    /** One record onto any of the bridge's topics (a request redelivered after a crash, say). */
    public static void produce(String topic, String key, String value) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", DevServices.get().kafkaBrokers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** A user-preference fact (marketing stop) with dedup key {@code k-<run>}. */
    public static String userPreference(String run, String occurredAt, String identityKey) {
        return "{\"schemaVersion\":1,\"eventId\":\"" + UUID.randomUUID() + "\",\"dedupKey\":\"k-" + run
                + "\",\"kind\":\"user_preference\",\"field\":\"user_preferences\",\"occurredAt\":\"" + occurredAt
                + "\",\"receivedAt\":\"2024-11-22T10:06:41Z\",\"partitionKey\":\"" + identityKey + "\",\"customer\":"
                + "{\"userId\":\"" + run + "\",\"identityKey\":\"" + identityKey + "\"},\"payload\":{\"value\":\"stop\"}}";
    }

    /**
     * A message fact whose hashed identity is longer than the database columns: the sinks' PostgreSQL statements refuse
     * the whole batch, which must then be written fact by fact and this one dead-lettered.
     */
    public static String poison(String run) {
        return userPreference(run, "2024-11-22T10:06:40Z", "bsuid:" + run)
                .replace("\"kind\":\"user_preference\"", "\"kind\":\"message\"")
                .replace("\"identityKey\"", "\"identityHash\":\"" + "f".repeat(200) + "\",\"identityKey\"")
                .replace("\"payload\"", "\"messageId\":\"wamid.poison-" + run + "\",\"payload\"");
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
