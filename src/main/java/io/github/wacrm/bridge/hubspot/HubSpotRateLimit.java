package io.github.wacrm.bridge.hubspot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The pod's HubSpot request budget: at most {@code rate-limit.requests} calls in any rolling {@code rate-limit.window-ms}
 * (HubSpot counts a rolling 10 s window per portal). {@link #acquire} blocks the calling consumer thread until a call
 * fits; every call of every sink consumer of this pod shares the one budget. HubSpot's own view, from the
 * {@code X-HubSpot-RateLimit-*} headers, can only make it wait longer: when HubSpot says nothing remains in its
 * window (other apps of the portal use it too), or answers 429, nobody calls for a while.
 */
@Component("hubspotRateLimit")
public class HubSpotRateLimit {

    /** Calls are counted a little longer than the window, so clock skew and transit never push one over. */
    static final long GUARD_MILLIS = 50;

    private final int requests;
    private final long windowMillis;
    private final HubSpotMetrics metrics;
    private final Deque<Long> sent = new ArrayDeque<>();
    private long pausedUntil;

    public HubSpotRateLimit(HubSpotProperties properties, HubSpotMetrics metrics) {
        this.requests = properties.rateLimit().requests();
        this.windowMillis = properties.rateLimit().windowMs() + GUARD_MILLIS;
        this.metrics = metrics;
    }

    /** Waits until one more call fits in the budget, and counts it. */
    public void acquire() throws InterruptedException {
        long waited = 0;
        synchronized (this) {
            while (true) {
                long now = System.currentTimeMillis();
                while (!sent.isEmpty() && sent.peekFirst() <= now - windowMillis) {
                    sent.pollFirst();
                }
                long until = Math.max(pausedUntil, sent.size() < requests ? now : sent.peekFirst() + windowMillis);
                if (until <= now) {
                    sent.addLast(now);
                    break;
                }
                long pause = until - now;
                waited += pause;
                wait(pause);
            }
        }
        metrics.rateLimitWait(waited);
    }

    /** Reads HubSpot's {@code X-HubSpot-RateLimit-*} answer headers of a camel-http call. */
    public void observe(Exchange exchange) {
        Message message = exchange.getMessage();
        observe(name -> message.getHeader(name));
    }

    /** Reads HubSpot's {@code X-HubSpot-RateLimit-*} answer headers, by name. */
    public void observe(Function<String, Object> headers) {
        Long remaining = number(headers.apply("X-HubSpot-RateLimit-Remaining"));
        Long max = number(headers.apply("X-HubSpot-RateLimit-Max"));
        Long interval = number(headers.apply("X-HubSpot-RateLimit-Interval-Milliseconds"));
        Long dailyRemaining = number(headers.apply("X-HubSpot-RateLimit-Daily-Remaining"));
        Long daily = number(headers.apply("X-HubSpot-RateLimit-Daily"));
        metrics.headroom(remaining, max, dailyRemaining, daily);
        if (remaining != null && remaining <= 0) {
            // HubSpot's window rolls: a slot frees as its oldest call ages out; look again in a second
            pauseFor(Math.min(1_000, interval == null ? windowMillis : interval));
        }
    }

    /** Nobody calls HubSpot for {@code millis} (a 429, or no requests left in HubSpot's window). */
    public synchronized void pauseFor(long millis) {
        pausedUntil = Math.max(pausedUntil, System.currentTimeMillis() + millis);
        notifyAll();
    }

    private static Long number(Object header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(header.toString().trim());
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }
}
