package io.github.wacrm.bridge.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Work started on several threads at the same instant, for tests of what two replicas (or exchanges) race on. */
public final class Race {

    /** One thread's share of the work, told its number. */
    @FunctionalInterface
    public interface Share {
        void run(int thread) throws Exception;
    }

    private Race() {
    }

    /** Runs {@code share} on {@code threads} threads released together; waits for all and rethrows a failure. */
    public static void run(int threads, Share share) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    start.await();
                    share.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
