package io.github.wacrm.bridge.outbound;

import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This pod's send rate for one business number: {@code rate-per-second-by-number.<phone-number id>} when set; else
 * {@code upgraded-rate-per-second} once Meta upgraded the number's throughput (a THROUGHPUT_UPGRADE quality webhook,
 * kept in {@code business_number_state}); else {@code rate-per-second}. The upgraded numbers are read again at most
 * every 30 s, so the throttle asks the database twice a minute, not once per send.
 */
final class NumberRates implements OutboundThrottle.Rates {

    private static final long REREAD_MILLIS = 30_000;

    private final OutboundProperties properties;
    private final Supplier<Set<String>> upgraded;
    private final LongSupplier clock;
    private volatile Set<String> known = Set.of();
    private volatile long readAt = Long.MIN_VALUE;
    private final java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean();

    NumberRates(OutboundProperties properties, Supplier<Set<String>> upgraded, LongSupplier clock) {
        this.properties = properties;
        this.upgraded = upgraded;
        this.clock = clock;
    }

    @Override
    public double of(String phoneNumberId) {
        Double own = properties.ratePerSecondByNumber().get(phoneNumberId);
        if (own != null && own > 0) {
            return own;
        }
        long now = clock.getAsLong();
        // one sender reads again; the others go on with what is known meanwhile
        if ((readAt == Long.MIN_VALUE || now - readAt >= REREAD_MILLIS) && reading.compareAndSet(false, true)) {
            try {
                known = upgraded.get();
            } catch (RuntimeException unreadable) {
                // the database away: the last known numbers stay (at worst the default rate)
            } finally {
                readAt = now;
                reading.set(false);
            }
        }
        return known.contains(phoneNumberId) ? properties.upgradedRatePerSecond() : properties.ratePerSecond();
    }
}
