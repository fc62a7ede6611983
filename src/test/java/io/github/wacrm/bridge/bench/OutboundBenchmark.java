package io.github.wacrm.bridge.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.support.DevServices;

/**
 * {@code mvn -q test-compile exec:java@bench-outbound [-Dexec.args="--requests 10000 --numbers 5 --rate 80"]}: the
 * whole application on the dev services; {@code requests} template sends through the REST API, spread over
 * {@code numbers} business numbers and as many recipients, against the Cloud API emulator enforcing {@code rate} sends
 * per second per number (Meta's 130429 beyond it) and the pair rate. Status webhooks are off, so this measures the
 * send path alone (API → Kafka → checks → ledger → throttle → Cloud API). Prints, per number, the send rate between its
 * first and last accepted send against the configured rate, the 130429 refusals, and duplicate sends (a request Meta
 * accepted twice).
 */
public final class OutboundBenchmark {

    private OutboundBenchmark() {
    }

    public static void main(String[] args) {
        WebhookLoad.main(args, OutboundBenchmark::run);
    }

    private static void run(Map<String, String> options) throws Exception {
        int requests = Integer.parseInt(options.getOrDefault("requests", "10000"));
        int numbers = Integer.parseInt(options.getOrDefault("numbers", "5"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "80"));
        WhatsAppCloudEmulator meta = DevServices.get().whatsapp();
        meta.throughput(rate, 6000);
        meta.statusOrder(List.of());
        WebhookLoad.Started started = WebhookLoad.start(Map.of("whatsapp.outbound.rate-per-second", String.valueOf(rate),
                "logging.level.io.github.wacrm.bridge.outbound", "WARN"));
        JdbcTemplate jdbc = started.app().getBean(JdbcTemplate.class);
        int apiPort = Integer.parseInt(started.app().getEnvironment().getProperty("local.server.port"));
        long syncedBy = System.currentTimeMillis() + 30_000;
        while (jdbc.queryForObject("SELECT count(*) FROM whatsapp_template WHERE name = 'order_update' AND components "
                + "IS NOT NULL", Integer.class) == 0 && System.currentTimeMillis() < syncedBy) {
            Thread.sleep(200);
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        Semaphore inFlight = new Semaphore(32);
        AtomicInteger refused = new AtomicInteger();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        long start = System.currentTimeMillis();
        for (int i = 0; i < requests; i++) {
            String from = "1065403522" + String.format("%05d", 10000 + i % numbers);
            String to = "+1650557" + String.format("%04d", i);
            String body = "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"template\":{\"name\":\"order_update\","
                    + "\"language\":\"en_US\",\"parameters\":[\"#" + i + "\",\"on its way\"]}}";
            inFlight.acquire();
            sent.add(started.http().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                    + "/api/v1/messages")).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + DevServices.DEV_OUTBOUND_TOKEN)
                    .header("Idempotency-Key", "bench-" + run + "-" + i).POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.discarding()).whenComplete((answer, failure) -> {
                        inFlight.release();
                        if (failure != null || answer.statusCode() != 202) {
                            refused.incrementAndGet();
                        }
                    }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        long accepted = System.currentTimeMillis();
        long deadline = accepted + Duration.ofMinutes(10).toMillis();
        int open;
        do {
            Thread.sleep(500);
            open = jdbc.queryForObject("SELECT count(*) FROM outbound_request WHERE idempotency_key LIKE ? AND state IN "
                    + "('accepted', 'sending')", Integer.class, "api:default:bench-" + run + "-%");
        } while (open > 0 && System.currentTimeMillis() < deadline);
        long done = System.currentTimeMillis();
        report(meta.sends(), requests, numbers, rate, refused.get(), open, start, accepted, done, jdbc, run);
        started.app().close();
        System.exit(0);
    }

    private static void report(List<WhatsAppCloudEmulator.Send> sends, int requests, int numbers, int rate,
            int refusedByApi, int open, long start, long accepted, long done, JdbcTemplate jdbc, String run) {
        Map<String, List<Long>> acceptedAt = new HashMap<>();
        Map<String, Integer> byCallback = new HashMap<>();
        int throughputRefusals = 0;
        int pairRefusals = 0;
        for (WhatsAppCloudEmulator.Send send : sends) {
            if (send.atMillis() < start) {
                continue;
            }
            if (send.errorCode() != null) {
                throughputRefusals += send.errorCode() == 130429 ? 1 : 0;
                pairRefusals += send.errorCode() == 131056 ? 1 : 0;
                continue;
            }
            acceptedAt.computeIfAbsent(send.phoneNumberId(), k -> new ArrayList<>()).add(send.atMillis());
            byCallback.merge(send.body().path("biz_opaque_callback_data").asText(), 1, Integer::sum);
        }
        long duplicates = byCallback.values().stream().filter(n -> n > 1).count();
        System.out.printf(Locale.ROOT, "Outbound benchmark (whole app, status webhooks off): %d requests over %d numbers, "
                + "configured %d sends/s per number%n", requests, numbers, rate);
        System.out.printf(Locale.ROOT, "  API: %d answered 202 in %.1f s (%d refused or failed)%n", requests - refusedByApi,
                (accepted - start) / 1000.0, refusedByApi);
        for (Map.Entry<String, List<Long>> number : new java.util.TreeMap<>(acceptedAt).entrySet()) {
            List<Long> times = number.getValue();
            double seconds = (times.get(times.size() - 1) - times.get(0)) / 1000.0;
            double perSecond = seconds <= 0 ? 0 : (times.size() - 1) / seconds;
            System.out.printf(Locale.ROOT, "  number %s: %d sent, %.1f sends/s (%+.1f %% of the configured rate)%n",
                    number.getKey(), times.size(), perSecond, (perSecond / rate - 1) * 100);
        }
        System.out.printf(Locale.ROOT, "  130429 refusals: %d; 131056 refusals: %d; duplicate sends: %d; still open: %d%n",
                throughputRefusals, pairRefusals, duplicates, open);
        System.out.printf(Locale.ROOT, "  all sent %.1f s after the first request; ledger states: %s%n",
                (done - start) / 1000.0, jdbc.queryForList("SELECT state || '=' || count(*) FROM outbound_request WHERE "
                        + "idempotency_key LIKE ? GROUP BY state", String.class, "api:default:bench-" + run + "-%"));
    }
}
