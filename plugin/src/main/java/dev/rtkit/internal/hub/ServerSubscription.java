package dev.rtkit.internal.hub;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.Rtkit;
import dev.rtkit.internal.metrics.Metrics;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription of the application's own code: drains its cursor to a {@link Rtkit.Listener} on the given
 * executor, one pass at a time; a publish that arrives during a pass makes it go round once more.
 */
public final class ServerSubscription implements dev.rtkit.Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSubscription.class);
    private static final int BATCH = 256;

    private final Executor executor;
    private final Rtkit.Listener listener;
    private final Metrics.Connection meter;
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Subscription subscription;

    private ServerSubscription(Executor executor, Rtkit.Listener listener, Metrics.Connection meter) {
        this.executor = executor;
        this.listener = listener;
        this.meter = meter;
    }

    public static ServerSubscription open(Hub hub, Executor executor, Collection<String> topics, String since,
                                          Rtkit.Listener listener) {
        ServerSubscription s = new ServerSubscription(executor, listener, hub.metrics().listener());
        s.subscription = hub.subscribe(topics, since, s::schedule);
        if (since != null) {
            s.meter.resumed();
        }
        s.schedule(); // a cursor in the past has history (or a gap) waiting already
        return s;
    }

    private void schedule() {
        if (wip.getAndIncrement() == 0) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        int missed = 1;
        do {
            Subscription s = subscription;
            List<Event> events;
            while (s != null && !s.isClosed() && !(events = s.poll(BATCH)).isEmpty()) {
                meter.delivered(events);
                events.forEach(this::deliver);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void deliver(Event event) {
        try {
            if (event instanceof Message m) {
                listener.onMessage(m);
            } else {
                listener.onGap((Gap) event);
            }
        } catch (RuntimeException e) {
            // The application's bug must not stop its own delivery: the next event still comes.
            LOG.warn("rtkit listener failed on {}", event, e);
        }
    }

    @Override
    public List<String> topics() {
        return subscription.topics();
    }

    @Override
    public String cursor() {
        return subscription.cursor();
    }

    @Override
    public boolean isClosed() {
        return subscription.isClosed();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
