package dev.rtkit.internal.transport.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The suspended exchanges: one timer beats and probes for all of them rather than one per connection (the
 * writes themselves run on container threads); shutdown ends them.
 */
final class Exchanges {
    /**
     * The one timer's tick for probes and long-poll deadlines. An idle HTTP/1.x stream is probed at the first tick
     * after it has been quiet for its probe interval (a second by default): the client's close is seen by the
     * second probe after it.
     */
    static final Duration TICK = Duration.ofSeconds(1);

    private final Set<SuspendedExchange> open = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> beat;
    private final ScheduledFuture<?> probe;

    /**
     * @param streamProbeInterval how often an idle stream that takes probes is probed (zero: none takes them, see
     *                            {@code HttpSubscriptions}; the tick still times long-polls)
     */
    Exchanges(ScheduledExecutorService scheduler, Duration heartbeat, Duration streamProbeInterval) {
        long nanos = heartbeat.toNanos();
        // Checking at half the interval keeps the longest silence under 1.5 intervals.
        long period = Math.max(1, heartbeat.toMillis() / 2);
        this.beat = scheduler.scheduleAtFixedRate(() -> open.forEach(x -> x.heartbeatIfIdle(nanos)),
                period, period, TimeUnit.MILLISECONDS);
        long every = TICK.toMillis();
        // Half a tick short of the interval: a stream probed at a tick is probed again a whole interval of ticks
        // later, however late those ran.
        long probeIdle = streamProbeInterval.toNanos() - TICK.toNanos() / 2;
        this.probe = scheduler.scheduleAtFixedRate(() -> open.forEach(x -> x.probeIfIdle(probeIdle)),
                every, every, TimeUnit.MILLISECONDS);
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
        probe.cancel(false);
        open.forEach(SuspendedExchange::end);
    }
}
