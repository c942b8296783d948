package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; the failure message says what was last seen. */
final class Await {
    private Await() {
    }

    static void until(Duration timeout, Supplier<Boolean> condition, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("not within " + timeout + ": " + lastSeen.get());
            }
            try {
                Thread.sleep(50); // polling interval of the wait, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
