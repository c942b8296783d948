package dev.rtkit.internal.util;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs an unexpected failure at ERROR at most once a minute per kind, with how many were left out since, so a
 * client that can trigger one cannot flood the log: the first carries the stack trace, the rest are counted.
 * Kinds are a handful of constants in the code, never client input.
 */
public final class ErrorThrottle {
    /** UNIT: nanoseconds. */
    static final long EVERY_NANOS = 60_000_000_000L;

    private record Window(AtomicLong opened, AtomicLong suppressed) {
    }

    private final Logger log;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public ErrorThrottle(Logger log) {
        this.log = log;
    }

    /** Logs {@code message} with {@code failure} unless {@code kind} was logged less than a minute ago. */
    public void error(String kind, String message, Throwable failure) {
        long now = System.nanoTime();
        Window w = windows.computeIfAbsent(kind, k -> new Window(new AtomicLong(now - EVERY_NANOS - 1), new AtomicLong()));
        long opened = w.opened().get();
        if (now - opened > EVERY_NANOS && w.opened().compareAndSet(opened, now)) {
            long left = w.suppressed().getAndSet(0);
            log.error("{} ({}: logged once a minute{})", message, kind,
                    left == 0 ? "" : "; " + left + " more since the last", failure);
        } else {
            w.suppressed().incrementAndGet();
        }
    }
}
