package io.github.wacrm.bridge.faults;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.processes.BridgeReplica;
import io.github.wacrm.bridge.support.DevServices;

/**
 * Template sends through the replicas' REST API at a steady rate, as a CRM would make them: each request to a new
 * recipient with its own Idempotency-Key, sent to the replicas in turn and, when one does not answer 202 (dead,
 * restarting, 503), sent again with the same key to the next — so a request may reach two replicas. Then
 * {@link #settle}: every accepted request must reach a final state and Meta (the emulator) must have taken it at most
 * once.
 */
final class OutboundTraffic {

    /** What became of the sends. */
    record Result(int requested, int accepted, int resent, int sentOnce, int duplicated, int neverAccepted,
            int notFinal, Map<String, Long> states) {

        String summary() {
            return String.format(Locale.ROOT, "outbound: %d requested, %d accepted (%d sent again to another replica "
                    + "with the same key), %d taken by Meta once, %d more than once, %d never accepted, %d not in a "
                    + "final state; states %s", requested, accepted, resent, sentOnce, duplicated, neverAccepted,
                    notFinal, states);
        }

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (duplicated > 0) {
                problems.add(duplicated + " outbound requests sent to Meta more than once");
            }
            if (neverAccepted > 0) {
                problems.add(neverAccepted + " outbound requests never accepted by any replica");
            }
            if (notFinal > 0) {
                problems.add(notFinal + " outbound requests not in a final state");
            }
            return problems;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<String> FINAL = List.of("sent", "delivered", "read", "failed", "refused", "unknown");

    private final List<BridgeReplica> replicas;
    private final int rate;
    private final int seconds;
    private final String marker;
    private final long firstNumber;
    private final Map<Integer, String> accepted = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger resent = new java.util.concurrent.atomic.AtomicInteger();

    OutboundTraffic(List<BridgeReplica> replicas, int rate, int seconds, String marker) {
        this.replicas = replicas;
        this.rate = rate;
        this.seconds = seconds;
        this.marker = marker;
        // recipients of this run only: +1 650 4NN NNNN
        this.firstNumber = 4_000_000L + Math.floorMod(marker.hashCode(), 500) * 10_000L;
    }

    /** Starts the sends in their own thread; join it for their end. */
    Thread start() {
        Thread load = new Thread(this::run, "outbound-traffic");
        load.start();
        return load;
    }

    private void run() {
        int total = rate * seconds;
        ExecutorService senders = Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        try {
            for (int i = 0; i < total; i++) {
                long wait = start + i * 1_000_000_000L / rate - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                int request = i;
                senders.submit(() -> send(request));
            }
            senders.shutdown();
            senders.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request until a replica accepts it (a minute at most), the same key each time. */
    private void send(int request) {
        String body = "{\"to\": \"+1650" + (firstNumber + request) + "\", \"template\": {\"name\": \"order_update\", "
                + "\"language\": \"en_US\", \"parameters\": [\"#" + request + "\", \"on its way\"]}}";
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        for (int attempt = 0; System.nanoTime() < until; attempt++) {
            if (attempt == 1) {
                resent.incrementAndGet();
            }
            BridgeReplica replica = replicas.get((request + attempt) % replicas.size());
            try {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(replica.api("/api/v1/messages"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + DevServices.DEV_OUTBOUND_TOKEN)
                        .header("Idempotency-Key", marker + "-" + request)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 202) {
                    accepted.put(request, JSON.readTree(answer.body()).path("id").asText());
                    return;
                }
            } catch (Exception unreachable) {
                // that replica is down: the next one, with the same key
            }
            pause(500);
        }
    }

    /**
     * Waits (at most {@code within}) until every accepted request is in a final state, then counts what Meta took:
     * one call per request at most.
     */
    Result settle(WhatsAppCloudEmulator whatsapp, Duration within) {
        Map<String, String> states = new ConcurrentHashMap<>();
        long until = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < until) {
            for (String id : accepted.values()) {
                if (!FINAL.contains(states.getOrDefault(id, ""))) {
                    states.put(id, state(id));
                }
            }
            if (states.values().stream().allMatch(FINAL::contains)) {
                break;
            }
            pause(2000);
        }
        // every call of a request, in order: a call after the first one Meta took is a second send, whatever Meta
        // answered it (a second call within 6 s is refused for the pair rate: still a duplicate)
        Map<String, List<WhatsAppCloudEmulator.Send>> calls = whatsapp.sends().stream()
                .collect(Collectors.groupingBy(s -> s.body().path("biz_opaque_callback_data").asText()));
        int once = 0;
        int more = 0;
        for (String id : accepted.values()) {
            List<WhatsAppCloudEmulator.Send> of = calls.getOrDefault("wacrm:" + id, List.of());
            int first = -1;
            for (int i = 0; i < of.size() && first < 0; i++) {
                first = of.get(i).status() == 200 ? i : -1;
            }
            once += first >= 0 && first == of.size() - 1 ? 1 : 0;
            more += first >= 0 && first < of.size() - 1 ? 1 : 0;
        }
        int notFinal = (int) states.values().stream().filter(s -> !FINAL.contains(s)).count();
        Map<String, Long> histogram = new TreeMap<>(states.values().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())));
        return new Result(rate * seconds, accepted.size(), resent.get(), once, more, rate * seconds - accepted.size(), notFinal,
                histogram);
    }

    private String state(String id) {
        for (BridgeReplica replica : replicas) {
            try {
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(replica.api("/api/v1/messages/" + id))
                        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + DevServices.DEV_OUTBOUND_TOKEN)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    JsonNode state = JSON.readTree(answer.body());
                    return state.path("status").asText();
                }
            } catch (Exception unreachable) {
                // ask the next replica
            }
        }
        return "unreadable";
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }
}
