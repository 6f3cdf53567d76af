package io.crewjvm.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for a condition that other threads or processes bring about. */
public final class Await {

    private Await() {
    }

    /** Polls until the condition holds; fails after the timeout, naming what it waited for. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
