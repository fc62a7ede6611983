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
    private final List<OtherAnswer> otherAt = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** An answer other than 200 or 503: its status, the replica's webhook port, and System.nanoTime() when it came. */
    record OtherAnswer(int status, int port, long nanos) {
    }

    MetaTraffic(List<URI> replicas, String secret) {
        this.replicas = replicas;
        this.secret = secret;
    }

    /** Delivers a new webhook (and again until it gets a 200). */
    void deliver(byte[] body, List<MetaWebhooks.Fact> facts, boolean deadLetterExpected) {
        Webhook webhook = new Webhook(body, facts, deadLetterExpected);
        webhooks.add(webhook);
        attempt(webhook, next.getAndIncrement(), true, HttpRequest.BodyPublishers.ofByteArray(body), null, http);
    }

    /**
     * Delivers a new webhook to replica {@code replica}, the first half of its body at once and the rest
     * {@code pause} later, so it is still in flight when a fault hits; then again until it gets a 200, like any other.
     * The first attempt's end is in the answer: its status, or the failure that ended it.
     */
    java.util.concurrent.CompletableFuture<FirstAttempt> deliverSlowly(int replica, byte[] body,
            List<MetaWebhooks.Fact> facts, Duration pause) {
        return deliverSlowly(replica, body, facts, pause, http);
    }

    /**
     * The same on a connection of its own (a new client): never one the replica may be closing as idle, so a first
     * attempt cut off without an answer is the replica's doing, not HTTP/1.1's idle-connection race.
     */
    java.util.concurrent.CompletableFuture<FirstAttempt> deliverOnANewConnection(int replica, byte[] body,
            List<MetaWebhooks.Fact> facts) {
        HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .version(HttpClient.Version.HTTP_1_1).build();
        return deliverSlowly(replica, body, facts, Duration.ZERO, own);
    }

    private java.util.concurrent.CompletableFuture<FirstAttempt> deliverSlowly(int replica, byte[] body,
            List<MetaWebhooks.Fact> facts, Duration pause, HttpClient client) {
        Webhook webhook = new Webhook(body, facts, false);
        webhooks.add(webhook);
        var first = new java.util.concurrent.CompletableFuture<FirstAttempt>();
        var trickled = HttpRequest.BodyPublishers.fromPublisher(new PausingBody(body, pause), body.length);
        attempt(webhook, replica, true, trickled, first, client);
        return first;
    }

    /** How the first attempt of a slow delivery ended: an HTTP status, or the failure (status 0), and when. */
    record FirstAttempt(Webhook webhook, int status, Throwable failure, long answeredNanos) {
        /** The connection was made and then ended without an answer (a refused connection is not). */
        boolean cutOff() {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure;
            return cause != null && !(cause instanceof java.net.ConnectException)
                    && !(cause instanceof java.net.http.HttpConnectTimeoutException);
        }
    }

    private void attempt(Webhook webhook, int replica, boolean tracked) {
        attempt(webhook, replica, tracked, HttpRequest.BodyPublishers.ofByteArray(webhook.body), null, http);
    }

    private void attempt(Webhook webhook, int replica, boolean tracked, HttpRequest.BodyPublisher body,
            java.util.concurrent.CompletableFuture<FirstAttempt> firstAttempt, HttpClient client) {
        URI target = replicas.get(Math.floorMod(replica, replicas.size()));
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.HEADER, SignatureVerifier.sign(webhook.body, secret))
                .POST(body).build();
        inflight.acquireUninterruptibly();
        pending.incrementAndGet();
        int attempt = webhook.attempts.incrementAndGet();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            inflight.release();
            int status = failure == null ? response.statusCode() : 0;
            if (firstAttempt != null) {
                firstAttempt.complete(new FirstAttempt(webhook, status, failure, System.nanoTime()));
            }
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
                    otherAt.add(new OtherAnswer(status, target.getPort(), System.nanoTime()));
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

    List<OtherAnswer> answeredOtherAt() {
        return List.copyOf(otherAt);
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

    /**
     * A body published half at once and the rest after a pause, from a timer: the client's writer is never blocked,
     * so the request's head and first half are on the wire while the rest waits.
     */
    private final class PausingBody implements java.util.concurrent.Flow.Publisher<java.nio.ByteBuffer> {
        private final byte[] body;
        private final Duration pause;

        PausingBody(byte[] body, Duration pause) {
            this.body = body;
            this.pause = pause;
        }

        @Override
        public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
            subscriber.onSubscribe(new java.util.concurrent.Flow.Subscription() {
                private long demand;
                private int parts;
                private boolean restDue;
                private boolean cancelled;

                @Override
                public synchronized void request(long n) {
                    demand += n;
                    emit();
                }

                private synchronized void emit() {
                    if (cancelled || demand == 0) {
                        return;
                    }
                    if (parts == 0) {
                        parts = 1;
                        demand--;
                        redeliveries.schedule(() -> {
                            synchronized (this) {
                                restDue = true;
                                emit();
                            }
                        }, pause.toMillis(), TimeUnit.MILLISECONDS);
                        subscriber.onNext(java.nio.ByteBuffer.wrap(body, 0, body.length / 2));
                    } else if (parts == 1 && restDue) {
                        parts = 2;
                        demand--;
                        subscriber.onNext(java.nio.ByteBuffer.wrap(body, body.length / 2,
                                body.length - body.length / 2));
                        subscriber.onComplete();
                    }
                }

                @Override
                public synchronized void cancel() {
                    cancelled = true;
                }
            });
        }
    }

    @Override
    public void close() {
        redeliveries.shutdownNow();
    }
}
