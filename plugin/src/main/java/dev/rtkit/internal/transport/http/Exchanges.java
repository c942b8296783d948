package dev.rtkit.internal.transport.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The suspended exchanges: one timer beats for all of them rather than one per connection (streams get their
 * heartbeats, long-polls their timeouts); shutdown ends them.
 */
final class Exchanges {
    /** Longest time between two beats. UNIT: milliseconds. */
    static final long SWEEP_MILLIS = 1000;

    private final Set<SuspendedExchange> open = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> beat;

    Exchanges(ScheduledExecutorService scheduler, Duration heartbeat) {
        long nanos = heartbeat.toNanos();
        // Checking at half the interval keeps the longest silence under 1.5 intervals; at least every second, so a
        // long-poll ends at most a second after its timeout.
        long period = Math.max(1, Math.min(SWEEP_MILLIS, heartbeat.toMillis() / 2));
        this.beat = scheduler.scheduleAtFixedRate(() -> open.forEach(x -> x.heartbeatIfIdle(nanos)),
                period, period, TimeUnit.MILLISECONDS);
    }

    void add(SuspendedExchange x) {
        open.add(x);
    }

    void remove(SuspendedExchange x) {
        open.remove(x);
    }

    /** Ends every stream cleanly and answers every parked long-poll. */
    void close() {
        beat.cancel(false);
        open.forEach(SuspendedExchange::end);
    }
}
