package io.github.wacrm.bridge.outbound;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The send throttle of this pod: per business number, no more than {@code rate-per-second} sends (evenly spaced, so
 * a burst never goes over Meta's per-number throughput), and per recipient no two sends from one number closer than
 * {@code pair-interval-ms} (Meta's pair rate, about one message per 6 s to one user). A send reserves its slot and
 * is told how long to wait for it. Requests are keyed by recipient, so one recipient's sends pass one consumer. The
 * rate is each number's own ({@link NumberRates}): configured for it, else the upgraded rate once Meta raised its
 * throughput, else {@code rate-per-second}.
 */
@Component("outboundThrottle")
public class OutboundThrottle {

    private static final int RECIPIENTS_KEPT = 100_000;

    /** This pod's sends per second for one business number. */
    @FunctionalInterface
    interface Rates {
        double of(String phoneNumberId);
    }

    private final Rates rates;
    private final long pairIntervalMs;
    private final LongSupplier clock;
    private final Map<String, Double> nextByNumber = new HashMap<>();
    private final Map<String, Long> nextByPair = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > RECIPIENTS_KEPT;
        }
    };

    @Autowired
    public OutboundThrottle(OutboundProperties properties, BusinessNumberStates numbers) {
        this(new NumberRates(properties, numbers::upgraded, System::currentTimeMillis), properties.pairIntervalMs(),
                System::currentTimeMillis);
    }

    OutboundThrottle(Rates rates, long pairIntervalMs, LongSupplier clock) {
        this.rates = rates;
        this.pairIntervalMs = pairIntervalMs;
        this.clock = clock;
    }

    OutboundThrottle(double ratePerSecond, long pairIntervalMs, LongSupplier clock) {
        this(number -> ratePerSecond, pairIntervalMs, clock);
    }

    /** Reserves the next send of {@code phoneNumberId} to {@code recipient}: how many milliseconds to wait for it. */
    public long reserve(String phoneNumberId, String recipient) {
        // outside the lock: the rate may read the database now and then
        double rate = rates.of(phoneNumberId);
        synchronized (this) {
            return reserve(phoneNumberId, recipient, rate);
        }
    }

    private long reserve(String phoneNumberId, String recipient, double rate) {
        long now = clock.getAsLong();
        double numberFree = Math.max(now, nextByNumber.getOrDefault(phoneNumberId, 0d));
        String pair = phoneNumberId + "|" + recipient;
        long pairFree = Math.max(now, nextByPair.getOrDefault(pair, 0L));
        // each reserved apart: a send waiting for its recipient does not hold the number's slots from other recipients
        nextByNumber.put(phoneNumberId, numberFree + 1000d / rate);
        long at = Math.max((long) Math.ceil(numberFree), pairFree);
        nextByPair.put(pair, at + pairIntervalMs);
        return at - now;
    }
}
