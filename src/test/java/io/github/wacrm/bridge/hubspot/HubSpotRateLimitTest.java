package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The client-side budget holds across threads, in any rolling window, and yields to HubSpot's own headers. */
class HubSpotRateLimitTest {

    @Test
    void noMoreThanTheBudgetInAnyRollingWindowAcrossThreads() throws Exception {
        HubSpotRateLimit limit = limit(20, 500);
        List<Long> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(6);
        for (int i = 0; i < 60; i++) {
            threads.submit(() -> {
                HubSpotRateLimit.Slot slot = limit.acquire();
                sent.add(System.currentTimeMillis());
                limit.answered(slot); // counted a window from its answer, however late the call went out
                return null;
            });
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        List<Long> times = new ArrayList<>(sent);
        Collections.sort(times);
        assertThat(times).hasSize(60);
        for (int from = 0, to = 0; to < times.size(); to++) {
            while (times.get(to) - times.get(from) >= 500) {
                from++;
            }
            assertThat(to - from + 1).isLessThanOrEqualTo(20);
        }
        // 60 calls at 20 per 500 ms take at least two full windows
        assertThat(times.get(59) - times.get(0)).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void nothingIsSentWhileHubSpotSaysTheWindowIsSpent() throws Exception {
        HubSpotRateLimit limit = limit(100, 10_000);
        DefaultExchange answer = new DefaultExchange(new DefaultCamelContext());
        answer.getMessage().setHeader("X-HubSpot-RateLimit-Remaining", "0");
        answer.getMessage().setHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
        limit.observe(answer);
        long before = System.currentTimeMillis();
        limit.acquire();
        assertThat(System.currentTimeMillis() - before).isGreaterThanOrEqualTo(900);
    }

    @Test
    void aPauseHoldsEveryCaller() throws Exception {
        HubSpotRateLimit limit = limit(100, 10_000);
        limit.pauseFor(300);
        long before = System.currentTimeMillis();
        limit.acquire();
        assertThat(System.currentTimeMillis() - before).isGreaterThanOrEqualTo(250);
    }

    private static HubSpotRateLimit limit(int requests, long windowMs) {
        HubSpotProperties properties = new HubSpotProperties(true, "http://localhost", "t", "v3", false, 100, 100, 2,
                new HubSpotProperties.RateLimit(requests, windowMs), null, 20, null, null, null);
        return new HubSpotRateLimit(properties, new HubSpotMetrics(new SimpleMeterRegistry(),
                CircuitBreaker.ofDefaults("test")));
    }
}
