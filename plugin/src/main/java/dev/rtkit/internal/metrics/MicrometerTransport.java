package dev.rtkit.internal.metrics;

import dev.rtkit.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/** The meters of one transport, made once: its connections, what it delivers and writes, its resumes and closes. */
final class MicrometerTransport {
    private final MicrometerMeters meters;
    private final Transport transport;
    final AtomicInteger open = new AtomicInteger();
    final Counter opened;
    final Counter bytes;
    final Counter resumes;
    final MicrometerDeliveries deliveries;
    private final Counter[] closed = new Counter[Closed.values().length];

    MicrometerTransport(MicrometerMeters meters, Transport transport, Counter[] gaps) {
        this.meters = meters;
        this.transport = transport;
        Tags tags = Tags.of("transport", transport.wireName());
        meters.keep(Gauge.builder("rtkit.connections", open, AtomicInteger::get).tags(tags)
                .description("connections open now (polls while answered)").register(meters.registry));
        opened = meters.keep(Counter.builder("rtkit.connections.opened").tags(tags).register(meters.registry));
        bytes = meters.keep(Counter.builder("rtkit.bytes.sent").tags(tags)
                .description("bytes written to connections (frames, heartbeats, answers)").register(meters.registry));
        resumes = meters.keep(Counter.builder("rtkit.resumes").tags(tags)
                .description("subscriptions that resumed from a cursor").register(meters.registry));
        deliveries = new MicrometerDeliveries(meters, transport.wireName(), gaps);
    }

    Counter closed(Closed reason) {
        Counter c = closed[reason.ordinal()];
        if (c == null) {
            // Racing first closes register the same meter: the registry returns the one it has.
            c = meters.keep(Counter.builder("rtkit.connections.closed")
                    .tags("transport", transport.wireName(), "reason", reason.tag()).register(meters.registry));
            closed[reason.ordinal()] = c;
        }
        return c;
    }
}
