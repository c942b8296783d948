package dev.rtkit.internal.metrics;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * rtkit's meters in a Micrometer registry. Every meter a hot path touches is made once, up front or on first use,
 * and kept in a field or an array indexed by enum: a delivery is a few adder increments, never a registry lookup.
 * Tags are bounded (transport, reason, from, to); topics never become tags.
 */
final class MicrometerMetrics implements Metrics {
    private final MeterRegistry registry;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final PerTransport[] transports = new PerTransport[Transport.ALL.size()];
    private final Counter[] rejections = new Counter[Rejection.values().length];
    private final Counter[] gaps = new Counter[Gap.Reason.values().length];
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final Counter published;
    private final Timer publishLatency;
    private final MicrometerLogMeters log;

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Transport t : Transport.ALL) {
            transports[t.ordinal()] = new PerTransport(t);
        }
        for (Rejection r : Rejection.values()) {
            rejections[r.ordinal()] = keep(Counter.builder("rtkit.rejections").tag("reason", r.tag())
                    .description("requests refused, by reason").register(registry));
        }
        for (Gap.Reason r : Gap.Reason.values()) {
            gaps[r.ordinal()] = keep(Counter.builder("rtkit.gaps").tag("reason", r.wireName())
                    .description("gaps signalled to subscribers: history no longer reached back").register(registry));
        }
        published = keep(Counter.builder("rtkit.messages.published").description("messages the log accepted")
                .register(registry));
        publishLatency = keep(Timer.builder("rtkit.publish.latency")
                .description("from a publish to the log's acknowledgement (in memory: fan-out included)").register(registry));
        log = new MicrometerLogMeters(registry, this::keep);
    }

    /** @throws IllegalArgumentException when {@code registry} is neither null nor a MeterRegistry */
    static Metrics bind(Object registry) {
        if (registry == null) {
            return new MicrometerMetrics(io.micrometer.core.instrument.Metrics.globalRegistry);
        }
        if (!(registry instanceof MeterRegistry r)) {
            throw new IllegalArgumentException(MetricsBinding.REGISTRY_ATTRIBUTE + " must hold a "
                    + MeterRegistry.class.getName() + ", not a " + registry.getClass().getName());
        }
        return new MicrometerMetrics(r);
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public dev.rtkit.spi.LogMonitor logMonitor() {
        return log;
    }

    @Override
    public Connection open(Transport transport) {
        PerTransport t = transports[transport.ordinal()];
        t.opened.increment();
        t.open.incrementAndGet();
        return new Link(t);
    }

    @Override
    public void resumed(Transport transport) {
        transports[transport.ordinal()].resumes.increment();
    }

    @Override
    public CompletionStage<Message> published(CompletionStage<Message> stage, long startNanos) {
        stage.whenComplete((m, failure) -> {
            if (failure == null) {
                published.increment();
                publishLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            }
        });
        return stage;
    }

    @Override
    public void rejected(Rejection reason) {
        rejections[reason.ordinal()].increment();
    }

    @Override
    public void fallback(String report, Transport to) {
        if (report == null) {
            return;
        }
        Fallback f = Fallback.parse(report, to);
        if (f == null) {
            rejected(Rejection.FALLBACK);
            return;
        }
        // At most 5 x 5 x 5 keys, all validated above.
        fallbacks.computeIfAbsent(f.from().wireName() + "." + to.wireName() + "." + f.reason(),
                k -> keep(Counter.builder("rtkit.fallbacks")
                        .tags("from", f.from().wireName(), "to", to.wireName(), "reason", f.reason())
                        .description("clients that came to a transport after leaving another, by why").register(registry)))
                .increment();
    }

    @Override
    public void watch(IntSupplier topics, IntSupplier subscriptions, LongSupplier retainedBytes) {
        keep(Gauge.builder("rtkit.topics", topics::getAsInt).description("topics held").register(registry));
        keep(Gauge.builder("rtkit.subscriptions", subscriptions::getAsInt)
                .description("live subscriptions (a WebSocket may hold several)").register(registry));
        // NaN when the log cannot tell: an unknown is not zero.
        keep(Gauge.builder("rtkit.history", () -> {
            long bytes = retainedBytes.getAsLong();
            return bytes < 0 ? Double.NaN : bytes;
        }).baseUnit("bytes").description("bytes the topic log retains (payloads and cached encodings)").register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private void gap(Gap g) {
        gaps[g.reason().ordinal()].increment();
    }

    /** The meters of one transport, made once. */
    private final class PerTransport {
        final Transport transport;
        final AtomicInteger open = new AtomicInteger();
        final Counter opened;
        final Counter delivered;
        final Counter bytes;
        final Counter resumes;
        final Timer lag;
        final Counter[] closed = new Counter[Closed.values().length];

        PerTransport(Transport transport) {
            this.transport = transport;
            Tags tags = Tags.of("transport", transport.wireName());
            keep(Gauge.builder("rtkit.connections", open, AtomicInteger::get).tags(tags)
                    .description("connections open now (polls while answered)").register(registry));
            opened = keep(Counter.builder("rtkit.connections.opened").tags(tags).register(registry));
            delivered = keep(Counter.builder("rtkit.messages.delivered").tags(tags)
                    .description("messages handed to subscribers' connections").register(registry));
            bytes = keep(Counter.builder("rtkit.bytes.sent").tags(tags)
                    .description("bytes written to connections (frames, heartbeats, answers)").register(registry));
            resumes = keep(Counter.builder("rtkit.resumes").tags(tags)
                    .description("subscriptions that resumed from a cursor").register(registry));
            lag = keep(Timer.builder("rtkit.delivery.lag").tags(tags)
                    .description("from a message's publish to its write to a subscriber").register(registry));
        }

        Counter closed(Closed reason) {
            Counter c = closed[reason.ordinal()];
            if (c == null) {
                // Racing first closes register the same meter: the registry returns the one it has.
                c = keep(Counter.builder("rtkit.connections.closed")
                        .tags("transport", transport.wireName(), "reason", reason.tag()).register(registry));
                closed[reason.ordinal()] = c;
            }
            return c;
        }
    }

    /** One connection's handle onto its transport's meters. */
    private final class Link extends AtomicBoolean implements Connection {
        private static final long serialVersionUID = 1L;
        private final transient PerTransport t;

        Link(PerTransport t) {
            this.t = t;
        }

        @Override
        public void delivered(List<Event> events) {
            long now = 0;
            int messages = 0;
            for (int i = 0, n = events.size(); i < n; i++) {
                Event e = events.get(i);
                if (e instanceof Message m) {
                    if (messages++ == 0) {
                        now = System.currentTimeMillis();
                    }
                    t.lag.record(Math.max(0, now - m.timestamp()), TimeUnit.MILLISECONDS);
                } else if (e instanceof Gap g) {
                    gap(g);
                }
            }
            if (messages > 0) {
                t.delivered.increment(messages);
            }
        }

        @Override
        public void sent(int bytes) {
            t.bytes.increment(bytes);
        }

        @Override
        public void closed(Closed reason) {
            if (compareAndSet(false, true)) {
                t.open.decrementAndGet();
                t.closed(reason).increment();
            }
        }
    }
}
