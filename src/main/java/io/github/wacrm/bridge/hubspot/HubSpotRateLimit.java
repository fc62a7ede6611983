package io.github.wacrm.bridge.hubspot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The pod's HubSpot request budget: at most {@code rate-limit.requests} calls in any rolling {@code rate-limit.window-ms}
 * (HubSpot counts a rolling 10 s window per portal). {@link #acquire} blocks the calling consumer thread until a call
 * fits; every HubSpot call of this pod (sink and setup command) shares the one budget. A call holds its place in the
 * window from the moment it is allowed until a window after its answer came back, so a call that reached HubSpot late
 * (a slow network, a busy CPU) still counts where HubSpot counts it. HubSpot's own view, from the
 * {@code X-HubSpot-RateLimit-*} headers, can only make it wait longer: when HubSpot says nothing remains in its window
 * (other apps of the portal use it too), or answers 429, nobody calls for a while.
 */
@Component("hubspotRateLimit")
public class HubSpotRateLimit {

    /** The exchange property holding the current call's place in the window. */
    public static final String SLOT = "hubspotRateLimitSlot";

    /** One call's place in the window: counted until {@code until}. */
    public static final class Slot {
        private long until;

        Slot(long until) {
            this.until = until;
        }
    }

    private final int requests;
    private final long windowMillis;
    private final HubSpotMetrics metrics;
    private final List<Slot> window = new ArrayList<>();
    private long pausedUntil;

    public HubSpotRateLimit(HubSpotProperties properties, HubSpotMetrics metrics) {
        this.requests = properties.rateLimit().requests();
        this.windowMillis = properties.rateLimit().windowMs();
        this.metrics = metrics;
    }

    /** In the call route: waits for a place in the budget; the call's answer ({@link #observe}) ends its hold. */
    public void acquire(Exchange exchange) throws InterruptedException {
        exchange.setProperty(SLOT, acquire());
    }

    /** Waits until one more call fits in the budget, and counts it. */
    public Slot acquire() throws InterruptedException {
        long waited = 0;
        Slot slot;
        synchronized (this) {
            while (true) {
                long now = System.currentTimeMillis();
                window.removeIf(s -> s.until <= now);
                long until = pausedUntil;
                if (window.size() >= requests) {
                    long earliest = Long.MAX_VALUE;
                    for (Slot s : window) {
                        earliest = Math.min(earliest, s.until);
                    }
                    until = Math.max(until, earliest);
                }
                if (until <= now) {
                    // held a whole window even if no answer ever comes back
                    slot = new Slot(now + windowMillis);
                    window.add(slot);
                    break;
                }
                long pause = until - now;
                waited += pause;
                wait(pause);
            }
        }
        metrics.rateLimitWait(waited);
        return slot;
    }

    /** The call answered (or failed): it stays counted for a window from now, when HubSpot surely counted it. */
    public synchronized void answered(Slot slot) {
        if (slot != null) {
            slot.until = Math.max(slot.until, System.currentTimeMillis() + windowMillis);
        }
    }

    /** Reads HubSpot's {@code X-HubSpot-RateLimit-*} answer headers of a camel-http call, and ends the call's hold. */
    public void observe(Exchange exchange) {
        answered(exchange.getProperty(SLOT, Slot.class));
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
