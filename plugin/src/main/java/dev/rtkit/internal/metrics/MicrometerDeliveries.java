package dev.rtkit.internal.metrics;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What reaches subscribers under one {@code transport} tag: messages ({@code rtkit.messages.delivered}), each one's
 * lag from its publish ({@code rtkit.delivery.lag}), and gaps by reason (shared by every transport).
 */
final class MicrometerDeliveries {
    private final Counter delivered;
    private final Timer lag;
    private final Counter[] gaps;

    MicrometerDeliveries(MicrometerMeters meters, String transport, Counter[] gaps) {
        this.gaps = gaps;
        delivered = meters.keep(Counter.builder("rtkit.messages.delivered").tag("transport", transport)
                .description("messages handed to subscribers' connections").register(meters.registry));
        lag = meters.keep(Timer.builder("rtkit.delivery.lag").tag("transport", transport)
                .description("from a message's publish to its write to a subscriber").register(meters.registry));
    }

    void count(List<Event> events) {
        long now = 0;
        int messages = 0;
        for (int i = 0, n = events.size(); i < n; i++) {
            Event e = events.get(i);
            if (e instanceof Message m) {
                if (messages++ == 0) {
                    now = System.currentTimeMillis();
                }
                lag.record(Math.max(0, now - m.timestamp()), TimeUnit.MILLISECONDS);
            } else if (e instanceof Gap g) {
                gaps[g.reason().ordinal()].increment();
            }
        }
        if (messages > 0) {
            delivered.increment(messages);
        }
    }
}
