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
}
