package dev.rtkit.internal.transport.websocket;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, never a fixed sleep. */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(10);
        }
    }
}
