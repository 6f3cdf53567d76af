package io.crewjvm.db;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The one way the service runs a unit of work in a transaction: in a transaction of its own (or the caller's, when
 * it is part of a larger one), run again when it lost a race that a fresh attempt resolves (deadlock, serialization
 * failure, a concurrent lease of the same duplicate key), which is not the client's fault and must not reach it as
 * an error. Work of single statements that are
 * atomic on their own runs without a transaction ({@link #autocommitRetrying}), retried the same way.
 */
public final class Transactions {

    private static final int ATTEMPTS = 8;

    private Transactions() {
    }

    public static <T> T retrying(Supplier<T> work) {
        if (QuarkusTransaction.isActive()) {
            // Part of a larger unit of work (a schedule's firing creates a group and its tasks): it joins that
            // transaction, which is retried as a whole.
            return work.get();
        }
        return retryTransient(() -> QuarkusTransaction.requiringNew().call(work::get));
    }

    public static void retrying(Runnable work) {
        retrying(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs work made of statements that are each atomic on their own, outside any transaction: every statement
     * commits as it completes, sparing the COMMIT round trip, and row locks are held only while it runs.
     */
    public static <T> T autocommitRetrying(Supplier<T> work) {
        return retryTransient(work);
    }

    /** Runs work again, after a short random pause, while it fails with a conflict that a fresh attempt resolves. */
    public static <T> T retryTransient(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !SqlStates.isTransient(e)) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a transaction", e);
        }
    }
}
