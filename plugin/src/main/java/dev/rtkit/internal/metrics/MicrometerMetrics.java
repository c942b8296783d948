package dev.rtkit.internal.metrics;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * rtkit's meters in a Micrometer registry. Every meter a hot path touches is made once, up front or on first use,
 * and kept in a field or an array indexed by enum: a delivery is a few adder increments, never a registry lookup.
 * Tags are bounded (transport, reason, from, to); topics never become tags.
 */
final class MicrometerMetrics implements Metrics {
    /** The {@code transport} tag of what the application's own subscriptions ({@code Rtkit.subscribe}) receive. */
    static final String SERVER = "server";

    private final MicrometerMeters meters;
    private final MicrometerTransport[] transports = new MicrometerTransport[Transport.ALL.size()];
    private final Counter[] rejections = new Counter[Rejection.values().length];
    private final Counter[] gaps = new Counter[Gap.Reason.values().length];
    private final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final Counter published;
    private final Timer publishLatency;
    private final MicrometerDeliveries server;
    private final Counter serverResumes;
    private final MicrometerLogMeters log;

    private MicrometerMetrics(MeterRegistry registry) {
        this.meters = new MicrometerMeters(registry);
        for (Rejection r : Rejection.values()) {
            rejections[r.ordinal()] = meters.keep(Counter.builder("rtkit.rejections").tag("reason", r.tag())
                    .description("requests refused, by reason").register(registry));
        }
        for (Gap.Reason r : Gap.Reason.values()) {
            gaps[r.ordinal()] = meters.keep(Counter.builder("rtkit.gaps").tag("reason", r.wireName())
                    .description("gaps signalled to subscribers: history no longer reached back").register(registry));
        }
        for (Transport t : Transport.ALL) {
            transports[t.ordinal()] = new MicrometerTransport(meters, t, gaps);
        }
        server = new MicrometerDeliveries(meters, SERVER, gaps);
        serverResumes = meters.keep(Counter.builder("rtkit.resumes").tag("transport", SERVER)
                .description("subscriptions that resumed from a cursor").register(registry));
        published = meters.keep(Counter.builder("rtkit.messages.published").description("messages the log accepted")
                .register(registry));
        publishLatency = meters.keep(Timer.builder("rtkit.publish.latency")
                .description("from a publish to the log's acknowledgement (in memory: fan-out included)").register(registry));
        log = new MicrometerLogMeters(registry, meters::keep);
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

    @Override
    public dev.rtkit.spi.LogMonitor logMonitor() {
        return log;
    }

    @Override
    public Connection open(Transport transport) {
        MicrometerTransport t = transports[transport.ordinal()];
        t.opened.increment();
        t.open.incrementAndGet();
        return new Link(t);
    }

    @Override
    public Connection listener() {
        return new Connection() {
            @Override
            public void delivered(List<Event> events) {
                server.count(events);
            }

            @Override
            public void resumed() {
                serverResumes.increment();
            }
        };
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
                k -> meters.keep(Counter.builder("rtkit.fallbacks")
                        .tags("from", f.from().wireName(), "to", to.wireName(), "reason", f.reason())
                        .description("clients that came to a transport after leaving another, by why")
                        .register(meters.registry)))
                .increment();
    }

    @Override
    public void watch(IntSupplier topics, IntSupplier subscriptions, LongSupplier retainedBytes) {
        MeterRegistry registry = meters.registry;
        meters.keep(Gauge.builder("rtkit.topics", topics::getAsInt).description("topics held").register(registry));
        meters.keep(Gauge.builder("rtkit.subscriptions", subscriptions::getAsInt)
                .description("live subscriptions (a WebSocket may hold several; Rtkit.subscribe's too)").register(registry));
        // NaN when the log cannot tell: an unknown is not zero.
        meters.keep(Gauge.builder("rtkit.history", () -> {
            long bytes = retainedBytes.getAsLong();
            return bytes < 0 ? Double.NaN : bytes;
        }).baseUnit("bytes").description("bytes the topic log retains (payloads and cached encodings)").register(registry));
    }

    @Override
    public void close() {
        meters.removeAll();
    }

    /** One connection's handle onto its transport's meters. */
    private static final class Link extends AtomicBoolean implements Connection {
        private static final long serialVersionUID = 1L;
        private final transient MicrometerTransport t;

        Link(MicrometerTransport t) {
            this.t = t;
        }

        @Override
        public void delivered(List<Event> events) {
            t.deliveries.count(events);
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
