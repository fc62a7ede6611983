package io.github.wacrm.bridge.emulator.hubspot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.Headers;

/**
 * HubSpot's rate-limit contract for a private app: the portal's budget per rolling window (100 or 190 per 10 s) and
 * per day, and 5 searches per second; the {@code X-HubSpot-RateLimit-*} headers on every answer; past the budget, 429
 * with {@code policyName} TEN_SECONDLY_ROLLING, DAILY or SECONDLY. Faults: 429 bursts, daily limit spent.
 */
final class HubSpotRateLimits {

    private final Deque<Long> window = new ArrayDeque<>();
    private final Deque<Long> searchWindow = new ArrayDeque<>();
    private final AtomicLong dailyUsed = new AtomicLong();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile boolean dailyLimitSpent;
    private volatile int maxPerWindow = 100;
    private volatile long windowMillis = 10_000;
    private volatile long dailyLimit = 250_000;

    /** The portal's budget: requests per rolling window and per day; a new window. */
    synchronized void budget(int requests, long windowMs, long perDay) {
        window.clear();
        this.maxPerWindow = requests;
        this.windowMillis = windowMs;
        this.dailyLimit = perDay;
    }

    /** The next {@code count} calls answer 429 TEN_SECONDLY_ROLLING (another app of the portal used the budget). */
    void throttleNext(int count) {
        throttleNext.set(count);
    }

    /** Calls answer 429 DAILY until {@link #recover()}. */
    void spendDailyLimit() {
        dailyLimitSpent = true;
    }

    /** No more 429 faults, and nothing used of the daily limit. */
    void recover() {
        dailyLimitSpent = false;
        throttleNext.set(0);
        dailyUsed.set(0);
    }

    /** Counts the call against the budget; answers 429 when it is spent, and sets the rate-limit headers. */
    synchronized HubSpotAnswer admit(Headers headers, boolean search) {
        long now = System.currentTimeMillis();
        while (!window.isEmpty() && window.peekFirst() <= now - windowMillis) {
            window.pollFirst();
        }
        while (!searchWindow.isEmpty() && searchWindow.peekFirst() <= now - 1000) {
            searchWindow.pollFirst();
        }
        String policy = null;
        if (dailyLimitSpent || dailyUsed.get() >= dailyLimit) {
            policy = "DAILY";
        } else if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || window.size() >= maxPerWindow) {
            policy = "TEN_SECONDLY_ROLLING";
        } else if (search && searchWindow.size() >= 5) {
            policy = "SECONDLY";
        }
        if (policy == null) {
            window.addLast(now);
            if (search) {
                searchWindow.addLast(now);
            }
            dailyUsed.incrementAndGet();
        }
        headers.set("X-HubSpot-RateLimit-Daily", String.valueOf(dailyLimit));
        headers.set("X-HubSpot-RateLimit-Daily-Remaining", String.valueOf(Math.max(0, dailyLimit - dailyUsed.get())));
        headers.set("X-HubSpot-RateLimit-Interval-Milliseconds", String.valueOf(windowMillis));
        headers.set("X-HubSpot-RateLimit-Max", String.valueOf(maxPerWindow));
        headers.set("X-HubSpot-RateLimit-Remaining", String.valueOf(Math.max(0, maxPerWindow - window.size())));
        headers.set("X-HubSpot-RateLimit-Secondly", String.valueOf(Math.max(1, maxPerWindow / 10)));
        headers.set("X-HubSpot-RateLimit-Secondly-Remaining", String.valueOf(Math.max(0, maxPerWindow / 10
                - (int) window.stream().filter(t -> t > now - 1000).count())));
        if (policy == null) {
            return null;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", "You have reached your " + policy.toLowerCase().replace('_', '-') + " limit.");
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("policyName", policy);
        body.put("groupName", "publicapi:private-app:emulated");
        return new HubSpotAnswer(429, body);
    }
}
