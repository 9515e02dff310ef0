package dev.sluice.agent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Many threads racing for one limited resource (a token bucket, a retry budget): each starts at the
 * same moment and makes its attempts as fast as it can. The caller asserts on how many succeeded.
 */
public final class Contention {

    private Contention() {}

    /** Runs {@code attempts} calls of {@code attempt} on each of {@code threads} threads; returns how many were true. */
    public static int allowed(int threads, int attempts, BooleanSupplier attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int allowed = 0;
                    for (int i = 0; i < attempts; i++) {
                        if (attempt.getAsBoolean()) {
                            allowed++;
                        }
                    }
                    return allowed;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(30, TimeUnit.SECONDS);
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
