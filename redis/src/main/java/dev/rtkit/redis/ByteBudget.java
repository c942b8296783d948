package dev.rtkit.redis;

import java.util.concurrent.atomic.AtomicLong;

/** The bytes all topic caches of one log may hold together (historyMaxBytes): shared, so memory is bounded per JVM. */
final class ByteBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    ByteBudget(long max) {
        this.max = max;
    }

    void add(long bytes) {
        used.addAndGet(bytes);
    }

    boolean exceeded() {
        return used.get() > max;
    }

    long used() {
        return used.get();
    }
}
