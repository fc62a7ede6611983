package io.github.wacrm.bridge.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.wacrm.bridge.BridgeApplication;
import io.github.wacrm.bridge.intake.EnvelopeHints;
import io.github.wacrm.bridge.intake.SignatureVerifier;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/** The load of the CRM benchmarks: signed text webhooks at a fixed rate, one message each, customers taken in turn. */
final class WebhookLoad {

    /** The wamid of message {@code id} is this prefix + id + {@code -text}. */
    static final String INBOUND_WAMID = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-";
    /** Customers are {@code +1650556NNNN}. */
    static final String CUSTOMER_PREFIX = "+1650556";

    private WebhookLoad() {
    }

    /**
     * Starts the whole application on the shared dev services (embedded Kafka and PostgreSQL, both emulators) with
     * {@code overrides} on top, its webhook on a free port; answers it and the webhook's address.
     */
    static Started start(Map<String, String> overrides) {
        DevServices.get().applicationProperties().forEach(System::setProperty);
        System.setProperty("whatsapp.webhook.app-secrets", DevServices.DEV_APP_SECRET);
        System.setProperty("server.port", "0");
        System.setProperty("management.server.port", "0");
        System.setProperty("PORT", String.valueOf(DevServices.freePort()));
        System.setProperty("logging.level.whatsapp-inbound-message", "WARN");
        overrides.forEach(System::setProperty);
        ConfigurableApplicationContext app = SpringApplication.run(BridgeApplication.class);
        URI target = URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("whatsapp.webhook.port")
                + "/webhooks/whatsapp");
        return new Started(app, target, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    record Started(ConfigurableApplicationContext app, URI target, HttpClient http) {
    }

    /** Runs a benchmark; any failure ends the JVM (the application's threads would keep exec:java waiting). */
    static void main(String[] args, Benchmark benchmark) {
        try {
            benchmark.run(options(args));
        } catch (Throwable failure) {
            failure.printStackTrace();
            System.exit(2);
        }
    }

    interface Benchmark {
        void run(Map<String, String> options) throws Exception;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            options.put(args[i].replaceFirst("^--", ""), i + 1 < args.length ? args[++i] : "true");
        }
        return options;
    }

    /**
     * Sends {@code count} webhooks paced at {@code rate}/s (at most 128 in flight);
     * records each message's send time by wamid; answers how many were accepted (200).
     */
    static int send(HttpClient http, URI target, String run, int count, int rate, int customers,
            Map<String, Long> sentAt) throws Exception {
        // every request built and signed before the clock starts: the generator shares the cores it measures
        List<HttpRequest> requests = new ArrayList<>(count);
        for (byte[] body : bodies(run, count, customers)) {
            requests.add(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header(SignatureVerifier.HEADER, SignatureVerifier.sign(body, DevServices.DEV_APP_SECRET))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        }
        AtomicInteger accepted = new AtomicInteger();
        List<CompletableFuture<?>> inflight = new ArrayList<>();
        Semaphore connections = new Semaphore(128);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            connections.acquire();
            sentAt.put(INBOUND_WAMID + run + "-" + i + "-text", System.currentTimeMillis());
            inflight.add(http.sendAsync(requests.get(i), HttpResponse.BodyHandlers.discarding()).handle((r, failure) -> {
                connections.release();
                if (failure == null && r.statusCode() == 200) {
                    accepted.incrementAndGet();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(inflight.toArray(CompletableFuture[]::new)).join();
        return accepted.get();
    }

    /** The webhook bodies of a run: one text message each, customers taken in turn. */
    private static List<byte[]> bodies(String run, int count, int customers) {
        String template = new String(Fixtures.raw("message-text"), StandardCharsets.UTF_8);
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String customer = String.format(Locale.ROOT, "%s%04d", CUSTOMER_PREFIX.substring(1), i % customers);
            bodies.add(template.replace("16505551234", customer).replace(Fixtures.TOKEN, run + "-" + i)
                    .getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /**
     * Writes {@code count} deliveries straight to the raw topic, as the intake stores them (key and headers from
     * {@link EnvelopeHints}), as fast as the broker takes them: the pipeline behind the intake, measured alone.
     * Records each message's store time by wamid.
     */
    static void store(String brokers, String run, int count, int customers, Map<String, Long> storedAt) throws Exception {
        EnvelopeHints hints = new EnvelopeHints();
        List<byte[]> bodies = bodies(run, count, customers);
        Map<String, Object> config = Map.of("bootstrap.servers", brokers, "acks", "all", "linger.ms", 5,
                "enable.idempotence", true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] body = bodies.get(i);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("whatsapp.webhooks.raw",
                        hints.recordKey(body, hints.wabaId(body)), body);
                record.headers().add(EnvelopeHints.RECEIVED_AT, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString()
                        .getBytes(StandardCharsets.UTF_8));
                storedAt.put(INBOUND_WAMID + run + "-" + i + "-text", System.currentTimeMillis());
                sent.add(producer.send(record));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        }
    }

    /** "p50 … ms, p95 … ms, p99 … ms, max … ms" of sorted latencies. */
    static String percentiles(long[] sorted) {
        return String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms", pct(sorted, 0.5),
                pct(sorted, 0.95), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
