package io.github.wacrm.bridge.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.wacrm.bridge.BridgeApplication;
import io.github.wacrm.bridge.intake.SignatureVerifier;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * Intake benchmark: signed webhook POSTs at a fixed concurrency over keep-alive connections, against the real
 * application and a real Kafka broker. Prints accepted requests/s and ack latency percentiles, then reads the raw
 * topic back and checks that every request answered 200 is there (zero loss).
 *
 * <p>By default it starts the embedded broker, PostgreSQL and the whole application in this JVM (on the same cores as
 * the load). {@code --url URL --brokers HOST:PORT --secret S} drive an application that is already running instead.
 * {@code --intake-only} starts only the intake routes, to measure the request path alone. {@code --pipeline} then waits
 * until every accepted webhook's fact has passed the normaliser, the idempotent consumer and the router into the
 * audit table, and prints the pipeline's events/s and received→processed latency (in-process mode only).
 * {@code --customers N} (default 3000): request i comes from customer i mod N (the raw topic is keyed by customer).
 *
 * <pre>mvn -q test-compile exec:java@bench -Dexec.args="--requests 200000 --concurrency 64"</pre>
 */
public final class IntakeBenchmark {

    private static final String RAW_TOPIC = "whatsapp.webhooks.raw";

    private final Map<String, String> options;
    private final int requests;
    private final int warmup;
    private final int concurrency;
    private final int customers;

    private IntakeBenchmark(Map<String, String> options) {
        this.options = options;
        this.requests = Integer.parseInt(options.getOrDefault("requests", "100000"));
        this.warmup = Integer.parseInt(options.getOrDefault("warmup", "20000"));
        this.concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
        this.customers = Integer.parseInt(options.getOrDefault("customers", "3000"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(name, flag ? "true" : args[++i]);
        }
        int code = new IntakeBenchmark(options).run();
        System.exit(code);
    }

    private int run() throws Exception {
        String url = options.get("url");
        String brokers = options.get("brokers");
        String secret = options.getOrDefault("secret", DevServices.DEV_APP_SECRET);
        ConfigurableApplicationContext app = null;
        if (url == null) {
            DevServices services = DevServices.get();
            brokers = services.kafkaBrokers();
            services.applicationProperties().forEach(System::setProperty);
            System.setProperty("whatsapp.webhook.app-secrets", secret);
            System.setProperty("server.port", "0");
            System.setProperty("management.server.port", "0");
            System.setProperty("PORT", String.valueOf(DevServices.freePort()));
            System.setProperty("logging.level.whatsapp-inbound-message", "WARN");
            if (options.containsKey("intake-only")) {
                System.setProperty("WHATSAPP_ROUTES", options.getOrDefault("routes", "file:routes/10-webhook-intake.camel.yaml"));
            }
            app = SpringApplication.run(BridgeApplication.class);
            url = "http://127.0.0.1:" + app.getEnvironment().getProperty("whatsapp.webhook.port") + "/webhooks/whatsapp";
        }
        if (brokers == null) {
            throw new IllegalArgumentException("--brokers is needed with --url, to check the raw topic");
        }
        URI target = URI.create(url);
        System.out.printf(Locale.ROOT, "%nIntake benchmark: %d requests (+%d warm-up) at concurrency %d against %s%s%n",
                requests, warmup, concurrency, target, options.containsKey("intake-only") ? " (intake routes only)" : "");

        String runId = Fixtures.newRun();
        if (warmup > 0) {
            drive(target, secret, runId + "W", warmup);
        }
        Map<TopicPartition, Long> before = endOffsets(brokers);
        Result result = drive(target, secret, runId, requests);
        Map<TopicPartition, Long> after = endOffsets(brokers);
        Verification verification = verify(brokers, before, after, runId, result.acknowledged);

        long[] latencies = result.latenciesNanos;
        Arrays.sort(latencies);
        double seconds = result.elapsedNanos / 1e9;
        System.out.printf(Locale.ROOT, "accepted (200):      %d of %d (other statuses: %s, errors: %d)%n",
                result.acknowledged.cardinality(), requests, result.otherStatuses, result.errors.get());
        System.out.printf(Locale.ROOT, "throughput:          %.0f accepted requests/s over %.2f s%n",
                result.acknowledged.cardinality() / seconds, seconds);
        System.out.printf(Locale.ROOT, "ack latency:         p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(latencies, 0.999),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
        System.out.printf(Locale.ROOT, "raw topic check:     %d acknowledged requests found in %s, %d missing, %d stored twice%n",
                verification.found, RAW_TOPIC, verification.missing, verification.duplicates);
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "JVM heap in use:     %d MiB (this JVM: load generator%s)%n",
                (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024), app != null ? " + application + broker" : "");
        if (options.containsKey("pipeline") && app != null) {
            pipeline(DevServices.get().jdbcUrl(), runId, result.acknowledged.cardinality());
        }
        boolean lossless = verification.missing == 0;
        System.out.println(lossless ? "RESULT: zero loss" : "RESULT: LOSS DETECTED");
        if (app != null) {
            app.close();
        }
        return lossless ? 0 : 1;
    }

    // ------------------------------------------------------------------------------------------------ pipeline

    private static void pipeline(String jdbcUrl, String runId, int expected) throws Exception {
        String pattern = "%-" + runId + "-%";
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(jdbcUrl)) {
            int audited = 0;
            while (System.nanoTime() < deadline) {
                try (var statement = db.prepareStatement("SELECT count(*) FROM event_audit WHERE message_id LIKE ?")) {
                    statement.setString(1, pattern);
                    try (var rows = statement.executeQuery()) {
                        rows.next();
                        audited = rows.getInt(1);
                    }
                }
                if (audited >= expected) {
                    break;
                }
                Thread.sleep(500);
            }
            String sql = "SELECT count(*), extract(epoch FROM max(processed_at) - min(received_at)),"
                    + " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at)),"
                    + " percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at))"
                    + " FROM event_audit WHERE message_id LIKE ?";
            try (var statement = db.prepareStatement(sql)) {
                statement.setString(1, pattern);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    System.out.printf(Locale.ROOT,
                            "pipeline:            %d of %d facts audited once; %.0f events/s from first receipt to last audit;"
                                    + " received→processed p50 %.2f s, p95 %.2f s%n",
                            rows.getLong(1), expected, rows.getLong(1) / rows.getDouble(2), rows.getDouble(3), rows.getDouble(4));
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ load

    private record Result(BitSet acknowledged, long[] latenciesNanos, long elapsedNanos, Map<Integer, Integer> otherStatuses,
            AtomicLong errors) {
    }

    private Result drive(URI target, String secret, String runId, int count) throws Exception {
        byte[] template = Fixtures.raw("message-text");
        String templateText = new String(template, StandardCharsets.UTF_8);
        int token = templateText.indexOf(Fixtures.TOKEN);
        // request i comes from customer i % customers (the raw topic is keyed by customer)
        byte[][] prefixes = new byte[customers][];
        for (int c = 0; c < customers; c++) {
            prefixes[c] = templateText.substring(0, token).replace("16505551234", String.format("1650%07d", c))
                    .getBytes(StandardCharsets.UTF_8);
        }
        byte[] suffix = templateText.substring(token + Fixtures.TOKEN.length()).getBytes(StandardCharsets.UTF_8);
        javax.crypto.spec.SecretKeySpec key = new javax.crypto.spec.SecretKeySpec(
                secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        BitSet acknowledged = new BitSet(count);
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        Map<Integer, Integer> other = new HashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    Connection connection = null;
                    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                    mac.init(key);
                    java.util.HexFormat hex = java.util.HexFormat.of();
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        byte[] id = (runId + "-" + i).getBytes(StandardCharsets.US_ASCII);
                        byte[] prefix = prefixes[i % customers];
                        byte[] body = new byte[prefix.length + id.length + suffix.length];
                        System.arraycopy(prefix, 0, body, 0, prefix.length);
                        System.arraycopy(id, 0, body, prefix.length, id.length);
                        System.arraycopy(suffix, 0, body, prefix.length + id.length, suffix.length);
                        String signature = "sha256=" + hex.formatHex(mac.doFinal(body));
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            if (connection == null) {
                                connection = new Connection(target);
                            }
                            status = connection.post(body, signature);
                        } catch (ServerClosed closed) {
                            connection.close();
                            connection = null;
                            status = closed.status;
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            if (connection != null) {
                                connection.close();
                            }
                            connection = null;
                            continue;
                        }
                        long took = System.nanoTime() - t0;
                        synchronized (acknowledged) {
                            latencies[done.getAndIncrement()] = took;
                            if (status == 200) {
                                acknowledged.set(i);
                            } else {
                                other.merge(status, 1, Integer::sum);
                            }
                        }
                    }
                    if (connection != null) {
                        connection.close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-" + c);
            threads.add(t);
            t.start();
        }
        long started = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - started;
        return new Result(acknowledged, Arrays.copyOf(latencies, done.get()), elapsed, other, errors);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** The server answered and closed the connection (its keep-alive limit): the answer still counts. */
    private static final class ServerClosed extends IOException {
        final int status;

        ServerClosed(int status) {
            super("server closed the connection", null);
            this.status = status;
        }
    }

    /** One keep-alive HTTP/1.1 connection, written by hand so the load generator costs little CPU. */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] head;

        Connection(URI target) throws IOException {
            socket = new Socket(target.getHost(), target.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            head = ("POST " + target.getRawPath() + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
                    + "\r\nContent-Type: application/json\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        int post(byte[] body, String signature) throws IOException {
            out.write(head);
            out.write(("X-Hub-Signature-256: " + signature + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closing = false;
            String header;
            while (!(header = line()).isEmpty()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closing = true;
                }
            }
            if (chunked) {
                long size;
                while ((size = Long.parseLong(line().trim(), 16)) > 0) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            if (closing) {
                throw new ServerClosed(status);
            }
            return status;
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    buffer.write(b);
                }
            }
            return buffer.toString(StandardCharsets.US_ASCII);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ verification

    private record Verification(long found, long missing, long duplicates) {
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String brokers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(props);
    }

    private static Map<TopicPartition, Long> endOffsets(String brokers) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers)) {
            List<TopicPartition> partitions = consumer.partitionsFor(RAW_TOPIC).stream()
                    .map(p -> new TopicPartition(RAW_TOPIC, p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    private static Verification verify(String brokers, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
            String runId, BitSet acknowledged) {
        byte[] marker = ("-" + runId + "-").getBytes(StandardCharsets.US_ASCII);
        BitSet found = new BitSet();
        long duplicates = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(brokers)) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long remaining = to.entrySet().stream().mapToLong(e -> e.getValue() - from.get(e.getKey())).sum();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (remaining > 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= to.get(tp)) {
                        continue;
                    }
                    remaining--;
                    int seq = sequence(record.value(), marker);
                    if (seq >= 0) {
                        if (found.get(seq)) {
                            duplicates++;
                        }
                        found.set(seq);
                    }
                }
            }
        }
        BitSet missing = (BitSet) acknowledged.clone();
        missing.andNot(found);
        BitSet foundAcknowledged = (BitSet) acknowledged.clone();
        foundAcknowledged.and(found);
        return new Verification(foundAcknowledged.cardinality(), missing.cardinality(), duplicates);
    }

    private static int sequence(byte[] value, byte[] marker) {
        outer:
        for (int i = 0; i <= value.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (value[i + j] != marker[j]) {
                    continue outer;
                }
            }
            int k = i + marker.length;
            int seq = 0;
            boolean any = false;
            while (k < value.length && value[k] >= '0' && value[k] <= '9') {
                seq = seq * 10 + (value[k++] - '0');
                any = true;
            }
            return any ? seq : -1;
        }
        return -1;
    }
}
