package dev.rtkit.internal.transport.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The open streams: one timer beats for all of them, rather than a timer per connection. */
final class Streams {
    private final Set<StreamingResponse> open = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> beat;

    Streams(ScheduledExecutorService scheduler, Duration heartbeat) {
        long nanos = heartbeat.toNanos();
        // Checking at half the interval keeps the longest silence under 1.5 intervals.
        long period = Math.max(1, heartbeat.toMillis() / 2);
        this.beat = scheduler.scheduleAtFixedRate(() -> open.forEach(s -> s.heartbeatIfIdle(nanos)),
                period, period, TimeUnit.MILLISECONDS);
    }

    void add(StreamingResponse s) {
        open.add(s);
    }

    void remove(StreamingResponse s) {
        open.remove(s);
    }

    void close() {
        beat.cancel(false);
        open.forEach(StreamingResponse::end);
    }
}
