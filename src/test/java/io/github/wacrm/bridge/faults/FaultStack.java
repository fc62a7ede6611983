package io.github.wacrm.bridge.faults;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.pipeline.PartitionProgress;
import io.github.wacrm.bridge.processes.BridgeReplica;
import io.github.wacrm.bridge.processes.DevServicesCommand;
import io.github.wacrm.bridge.processes.KafkaServer;
import io.github.wacrm.bridge.processes.PostgresServer;
import io.github.wacrm.bridge.support.DevServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the fault harness runs: a Kafka broker and PostgreSQL as processes of their own, the Salesforce and HubSpot
 * emulators in the harness (so it can read their records and make them fail), and replicas of the packaged bridge
 * sharing the consumer groups.
 */
final class FaultStack implements AutoCloseable {

    static final String RAW_TOPIC = "whatsapp.webhooks.raw";
    static final List<String> DEAD_LETTER_TOPICS = List.of("whatsapp.webhooks.dlq", "whatsapp.salesforce.dlq",
            "whatsapp.hubspot.dlq");
    private static final String GROUP = "whatsapp-crm-bridge";

    final KafkaServer kafka;
    final PostgresServer postgres;
    final SalesforceEmulator salesforce;
    final HubSpotEmulator hubspot;
    final WhatsAppCloudEmulator whatsapp;
    final List<BridgeReplica> replicas = new ArrayList<>();
    private final PartitionProgress progress;

    FaultStack(Path repository, Path home, Path jar, int replicaCount) {
        kafka = new KafkaServer(home.resolve("kafka"), freePort(), freePort()).start();
        postgres = new PostgresServer(home.resolve("postgres"), freePort()).start();
        salesforce = SalesforceEmulator.start(0);
        hubspot = HubSpotEmulator.start(0, HubSpotEmulator.DEV_TOKEN);
        whatsapp = WhatsAppCloudEmulator.start(0);
        Map<String, String> environment = new LinkedHashMap<>(DevServicesCommand.bridgeEnvironment(kafka, postgres,
                salesforce.port(), hubspot.port()));
        environment.put("SALESFORCE_LOGIN_URL", salesforce.baseUrl());
        environment.put("HUBSPOT_BASE_URL", hubspot.baseUrl());
        // HubSpot's budget is the portal's (100 per 10 s here): each replica gets its share, as the README says
        environment.put("HUBSPOT_RATE_LIMIT_REQUESTS", String.valueOf(100 / replicaCount));
        // the reverse routes, sending through the WhatsApp emulator: Meta's 80/s per number split between replicas; a
        // call in doubt ends unknown after a minute (a scenario waits for every request's final state)
        environment.putAll(outbound(whatsapp, replicaCount));
        Path configuration = copyConfiguration(repository, home.resolve("app"));
        for (int i = 1; i <= replicaCount; i++) {
            BridgeReplica replica = new BridgeReplica("replica-" + i, jar, configuration, home, freePort(), freePort(),
                    freePort(), environment);
            replicas.add(replica);
            // the first creates the topics and the HubSpot properties; the others find them
            replica.start().awaitReady(Duration.ofMinutes(3));
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put(GROUP + "-normalizer", List.of("whatsapp.webhooks.raw"));
        groups.put(GROUP + "-router", List.of("whatsapp.events"));
        groups.put(GROUP + "-salesforce", List.of("whatsapp.facts", "whatsapp.salesforce.replay"));
        groups.put(GROUP + "-hubspot", List.of("whatsapp.facts", "whatsapp.hubspot.replay"));
        progress = new PartitionProgress(groups, new SimpleMeterRegistry(), kafka.bootstrapServers(),
                Duration.ofMinutes(10), Clock.systemUTC());
        // Meta posts the statuses of the sends to one URL: the first replica's (no scenario kills it for good)
        whatsapp.deliverStatusesTo(replicas.get(0).webhook().toString(), DevServices.DEV_APP_SECRET);
    }

    private static Map<String, String> outbound(WhatsAppCloudEmulator whatsapp, int replicaCount) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WHATSAPP_OUTBOUND_ENABLED", "true");
        env.put("WHATSAPP_CLOUD_API_URL", whatsapp.baseUrl());
        env.put("WHATSAPP_ACCESS_TOKEN", WhatsAppCloudEmulator.DEV_TOKEN);
        env.put("WHATSAPP_WABA_ID", WhatsAppCloudEmulator.WABA_ID);
        env.put("WHATSAPP_PHONE_NUMBER_ID", WhatsAppCloudEmulator.PHONE_NUMBER_ID);
        env.put("WHATSAPP_OUTBOUND_API_TOKEN", DevServices.DEV_OUTBOUND_TOKEN);
        env.put("WHATSAPP_OUTBOUND_RATEPERSECOND", String.valueOf(80 / replicaCount));
        env.put("WHATSAPP_OUTBOUND_INDOUBTAFTER", "60s");
        // a route's placeholder: the variable as Spring maps whatsapp.outbound.reconcile-ms
        env.put("WHATSAPP_OUTBOUND_RECONCILE_MS", "5000");
        return env;
    }

    /**
     * The replicas read {@code application.yaml} (with the Salesforce mapping it imports) and {@code routes/} from
     * their working directory: a copy taken at
     * start, so editing the repository while the harness runs changes nothing under it.
     */
    private static Path copyConfiguration(Path repository, Path app) {
        try {
            java.nio.file.Files.createDirectories(app.resolve("routes"));
            java.nio.file.Files.copy(repository.resolve("application.yaml"), app.resolve("application.yaml"));
            java.nio.file.Files.createDirectories(app.resolve("salesforce"));
            java.nio.file.Files.copy(repository.resolve("salesforce/salesforce-mapping.yaml"),
                    app.resolve("salesforce/salesforce-mapping.yaml"));
            try (var routes = java.nio.file.Files.list(repository.resolve("routes"))) {
                for (Path route : routes.toList()) {
                    java.nio.file.Files.copy(route, app.resolve("routes").resolve(route.getFileName()));
                }
            }
            return app;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    List<java.net.URI> webhooks() {
        return replicas.stream().map(BridgeReplica::webhook).toList();
    }

    /** Records not yet committed by every consumer group of the pipeline; -1 when the broker cannot be read. */
    long lag() {
        progress.check();
        if (progress.lastFailure() != null) {
            return -1;
        }
        return progress.partitions().stream().mapToLong(PartitionProgress.Partition::lag).sum();
    }

    /** Waits until every group has committed everything, three checks in a row; the time it took, or null. */
    Duration awaitDrained(Duration within) throws InterruptedException {
        long start = System.nanoTime();
        int quiet = 0;
        while (System.nanoTime() - start < within.toNanos()) {
            long lag = lag();
            quiet = lag == 0 ? quiet + 1 : 0;
            if (quiet >= 3) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(1000);
        }
        return null;
    }

    /** The end offsets of the dead-letter topics, summed: records dead-lettered so far. */
    long deadLetters() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                (Object) kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
            for (var topic : admin.describeTopics(DEAD_LETTER_TOPICS).allTopicNames().get(10, TimeUnit.SECONDS)
                    .values()) {
                topic.partitions().forEach(p -> request.put(new TopicPartition(topic.name(), p.partition()),
                        OffsetSpec.latest()));
            }
            return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }

    /** The end offset of each partition of {@code topic}: where a scenario's records start. */
    Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                (Object) kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new LinkedHashMap<>();
            admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    /**
     * How many facts were published more than once to the facts topic since {@code from} (records of one dedup key
     * beyond the first, among those containing {@code marker}): what the idempotent consumer let through again, after a
     * crash between a fact's publication and its claim's confirmation. The CRM upserts absorb them.
     */
    long republishedFacts(Map<TopicPartition, Long> from, String marker) {
        Map<String, Integer> perKey = new java.util.HashMap<>();
        read(from, fact -> {
            int key = fact.indexOf("\"dedupKey\":\"");
            if (key >= 0 && fact.contains(marker)) {
                perKey.merge(fact.substring(key + 12, fact.indexOf('"', key + 12)), 1, Integer::sum);
            }
        });
        return perKey.values().stream().mapToLong(n -> n - 1L).sum();
    }

    /** Which of {@code needles} the records of {@code from}'s partitions contain, from there to their end now. */
    java.util.Set<String> found(Map<TopicPartition, Long> from, java.util.Collection<String> needles) {
        java.util.Set<String> found = java.util.concurrent.ConcurrentHashMap.newKeySet();
        read(from, record -> needles.stream().filter(record::contains).forEach(found::add));
        return found;
    }

    /** Every record's value, as text, of {@code from}'s partitions from there to their end now. */
    private void read(Map<TopicPartition, Long> from, java.util.function.Consumer<String> each) {
        java.util.Properties config = new java.util.Properties();
        config.put("bootstrap.servers", kafka.bootstrapServers());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(config,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> ends = consumer.endOffsets(from.keySet());
            while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** Every replica, the broker and PostgreSQL up, before a scenario starts. */
    void healed() {
        salesforce.recover();
        hubspot.recover();
        if (!kafka.isAlive()) {
            kafka.start();
        }
        postgres.start();
        for (BridgeReplica replica : replicas) {
            if (!replica.isAlive()) {
                replica.start();
            }
            replica.awaitReady(Duration.ofMinutes(3));
        }
    }

    @Override
    public void close() {
        for (BridgeReplica replica : replicas) {
            replica.terminate();
        }
        progress.destroy();
        salesforce.close();
        hubspot.close();
        whatsapp.close();
        postgres.stop();
        kafka.stop();
    }

    static int freePort() {
        return DevServices.freePort();
    }
}
