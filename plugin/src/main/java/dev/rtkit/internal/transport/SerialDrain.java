package dev.rtkit.internal.transport;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a drain on one thread at a time, from whichever thread triggers it (a publish, a write completion, a
 * timer); a trigger that arrives during a drain makes the running one go round once more, so no trigger is lost
 * and no thread waits (the work-in-progress counter of reactive streams).
 */
public final class SerialDrain {

    /** One pass: write what can be written now, without blocking. */
    @FunctionalInterface
    public interface Pass {
        void drain() throws IOException;
    }

    private final AtomicInteger wip = new AtomicInteger();
    private final Pass pass;
    private final Consumer<Exception> onFailure;

    public SerialDrain(Pass pass, Consumer<Exception> onFailure) {
        this.pass = pass;
        this.onFailure = onFailure;
    }

    public void run() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            try {
                pass.drain();
            } catch (IOException | RuntimeException e) {
                onFailure.accept(e);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
