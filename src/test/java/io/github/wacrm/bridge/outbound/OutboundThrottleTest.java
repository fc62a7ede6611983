package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class OutboundThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final OutboundThrottle throttle = new OutboundThrottle(80, 6000, now::get);

    @Test
    void sendsOfOneNumberAreSpacedByItsRate() {
        long last = 0;
        for (int i = 0; i < 160; i++) {
            last = throttle.reserve("n1", "customer-" + i);
        }
        // 160 sends at 80 per second: the last one waits just under two seconds
        assertThat(last).isBetween(1975L, 1988L);
        assertThat(throttle.reserve("n2", "customer-0")).as("another number has its own rate").isZero();
    }

    @Test
    void twoSendsToOneRecipientAreAPairIntervalApartWithoutHoldingOthers() {
        assertThat(throttle.reserve("n1", "ana")).isZero();
        assertThat(throttle.reserve("n1", "ana")).isEqualTo(6000);
        assertThat(throttle.reserve("n1", "bob")).as("other recipients are not held back").isLessThan(50);
        now.addAndGet(6000);
        assertThat(throttle.reserve("n1", "ana")).isEqualTo(6000);
    }

    @Test
    void eachNumberSendsAtItsOwnRateTheUpgradedOnesFaster() {
        java.util.Set<String> upgraded = new java.util.HashSet<>();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        OutboundProperties properties = new OutboundProperties("waba", "n1", java.util.Map.of(), 80, 6000, 8, null, null,
                java.util.Map.of("n3", 20d), 1000);
        NumberRates rates = new NumberRates(properties, () -> {
            reads.incrementAndGet();
            return java.util.Set.copyOf(upgraded);
        }, now::get);
        assertThat(rates.of("n1")).isEqualTo(80);
        assertThat(rates.of("n3")).as("configured for the number").isEqualTo(20);
        upgraded.add("n1");
        upgraded.add("n3");
        assertThat(rates.of("n1")).as("read again only after 30 s").isEqualTo(80);
        now.addAndGet(30_000);
        assertThat(rates.of("n1")).as("Meta upgraded it").isEqualTo(1000);
        assertThat(rates.of("n3")).as("its own rate still wins").isEqualTo(20);
        assertThat(reads).hasValue(2);

        OutboundThrottle throttle = new OutboundThrottle(rates, 6000, now::get);
        long last = 0;
        for (int i = 0; i < 1000; i++) {
            last = throttle.reserve("n1", "customer-" + i);
        }
        assertThat(last).as("1,000 sends of an upgraded number within a second").isLessThan(1000);
    }
}
