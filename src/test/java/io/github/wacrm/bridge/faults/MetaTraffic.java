package io.github.wacrm.bridge.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.wacrm.bridge.intake.SignatureVerifier;

/**
 * Meta, as the bridge sees it: signed webhooks POSTed to the replicas in turn (as a load balancer would spread them),
 * and every webhook that did not get a 200 (503, refused connection, no answer in 15 s) delivered again with backoff
 * until it does; some that got their 200 are delivered again anyway, as Meta does.
 */
final class MetaTraffic implements AutoCloseable {

    /** One webhook and what became of it. */
    static final class Webhook {
        final byte[] body;
        final List<MetaWebhooks.Fact> facts;
        final boolean deadLetterExpected;
        final AtomicInteger attempts = new AtomicInteger();
        /** How often the bridge answered 200 to it: each is one delivery stored, so one dead letter for a bad body. */
        final AtomicInteger acceptedTimes = new AtomicInteger();
        volatile boolean accepted;

        Webhook(byte[] body, List<MetaWebhooks.Fact> facts, boolean deadLetterExpected) {
            this.body = body;
            this.facts = facts;
            this.deadLetterExpected = deadLetterExpected;
        }
    }

    private static final double REDELIVERED_ANYWAY = 0.02;

    private final List<URI> replicas;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final ScheduledExecutorService redeliveries = Executors.newScheduledThreadPool(2);
    private final Semaphore inflight = new Semaphore(3000);
    private final Random random = new Random(42);
    private final List<Webhook> webhooks = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong noAnswer = new AtomicLong();
    private final AtomicLong otherStatus = new AtomicLong();
    private final java.util.Map<Integer, AtomicLong> otherByStatus = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    MetaTraffic(List<URI> replicas, String secret) {
        this.replicas = replicas;
        this.secret = secret;
    }

    /** Delivers a new webhook (and again until it gets a 200). */
    void deliver(byte[] body, List<MetaWebhooks.Fact> facts, boolean deadLetterExpected) {
        Webhook webhook = new Webhook(body, facts, deadLetterExpected);
        webhooks.add(webhook);
        attempt(webhook, next.getAndIncrement(), true);
    }

    private void attempt(Webhook webhook, int replica, boolean tracked) {
        URI target = replicas.get(Math.floorMod(replica, replicas.size()));
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.HEADER, SignatureVerifier.sign(webhook.body, secret))
                .POST(HttpRequest.BodyPublishers.ofByteArray(webhook.body)).build();
        inflight.acquireUninterruptibly();
        pending.incrementAndGet();
        int attempt = webhook.attempts.incrementAndGet();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            inflight.release();
            int status = failure == null ? response.statusCode() : 0;
            if (status == 200) {
                ok.incrementAndGet();
                webhook.acceptedTimes.incrementAndGet();
                boolean first = !webhook.accepted;
                webhook.accepted = true;
                if (tracked && first && chance(REDELIVERED_ANYWAY)) {
                    later(webhook, replica + 1, 1000 + random(4000), false);
                }
            } else {
                (status == 503 ? unavailable : status == 0 ? noAnswer : otherStatus).incrementAndGet();
                if (status != 503 && status != 0) {
                    otherByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                }
                if (tracked) {
                    later(webhook, replica + 1, Math.min(5000, 500L << Math.min(attempt, 4)), true);
                }
            }
            pending.decrementAndGet();
        });
    }

    private void later(Webhook webhook, int replica, long delayMillis, boolean tracked) {
        pending.incrementAndGet();
        redeliveries.schedule(() -> {
            pending.decrementAndGet();
            attempt(webhook, replica, tracked);
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Waits until every webhook got its 200 and no delivery is in flight or planned; false after {@code within}. */
    boolean awaitAllAccepted(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (pending.get() == 0 && notAccepted() == 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    long notAccepted() {
        synchronized (webhooks) {
            return webhooks.stream().filter(w -> !w.accepted).count();
        }
    }

    List<Webhook> webhooks() {
        synchronized (webhooks) {
            return List.copyOf(webhooks);
        }
    }

    long answeredOk() {
        return ok.get();
    }

    long answeredUnavailable() {
        return unavailable.get();
    }

    long unanswered() {
        return noAnswer.get();
    }

    /** The answers other than 200 or 503, by status. */
    java.util.Map<Integer, AtomicLong> answeredOtherByStatus() {
        return new java.util.TreeMap<>(otherByStatus);
    }

    long answeredOther() {
        return otherStatus.get();
    }

    private synchronized boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private synchronized long random(int bound) {
        return random.nextInt(bound);
    }

    @Override
    public void close() {
        redeliveries.shutdownNow();
    }
}
