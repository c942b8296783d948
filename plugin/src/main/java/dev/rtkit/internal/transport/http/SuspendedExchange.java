package dev.rtkit.internal.transport.http;

import dev.rtkit.internal.hub.Subscriber;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.transport.command.Subscriptions;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One suspended HTTP exchange (long-poll, stream, or a poll catching up with a shared log): the lifecycle they
 * share. It holds a connection permit, a subscription and the async context, and holds no thread while it waits. It is released once
 * (subscription closed, permit returned, unregistered) and completed once, whoever gets there first: its
 * {@link Delivery}, the container (error, timeout, completion) or a shutdown. What it writes is the delivery's.
 */
final class SuspendedExchange implements Subscriber, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(SuspendedExchange.class);

    private final Guard.Permit permit;
    private final Subscriptions held;
    private final Exchanges registry;
    private final Delivery delivery;
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    /** Signals reach the delivery only once it has the response: before that they are looked at once in start. */
    private volatile boolean started;
    private AsyncContext async;
    private Subscription subscription;
    private volatile Metrics.Connection meter = Metrics.Connection.NONE;
    /** Why the delivery ended it, or null: the client left. */
    private volatile Closed closing;

    /** @param held the connection's subscriptions: this exchange's one, once subscribed, and closed on release */
    SuspendedExchange(Guard.Permit permit, Subscriptions held, Exchanges registry, Function<SuspendedExchange, Delivery> delivery) {
        this.permit = permit;
        this.held = held;
        this.registry = registry;
        this.delivery = delivery.apply(this);
    }

    /**
     * Takes over the started async request and the subscription made with this exchange as its subscriber.
     *
     * @param timeoutMillis the container's timeout for the exchange; 0 for none
     */
    void start(AsyncContext async, Subscription subscription, long timeoutMillis, Metrics.Connection meter) throws IOException {
        // Both are set before the registry can hand the exchange to a shutdown.
        this.meter = meter;
        this.async = async;
        this.subscription = subscription;
        async.setTimeout(timeoutMillis);
        async.addListener(this);
        registry.add(this);
        delivery.open();
        started = true;
        // A publish that came before the flag was set was not passed on: look once more.
        delivery.readable();
    }

    /** The subscription's signal, on the publisher's thread: the delivery writes inline, never blocking. */
    @Override
    public void onReadable() {
        if (started && !released.get()) {
            delivery.readable();
        }
    }

    void heartbeatIfIdle(long idleNanos) {
        if (started && !released.get()) {
            delivery.heartbeat(idleNanos);
        }
    }

    void probeIfIdle(long idleNanos) {
        if (started && !released.get()) {
            delivery.probe(idleNanos);
        }
    }

    /** Server shutdown. */
    void end() {
        if (!released.get()) {
            // Counted now: the delivery's last writes may finish after the application's meters have left.
            meter.closed(Closed.SHUTDOWN);
            delivery.end();
        }
    }

    /** Where the delivery counts what it writes. */
    Metrics.Connection meter() {
        return meter;
    }

    /** The delivery's reason for ending the exchange (answered, timeout, shutdown), before it releases it. */
    void closing(Closed reason) {
        closing = reason;
    }

    Subscriptions held() {
        return held;
    }

    Subscription subscription() {
        return subscription;
    }

    AsyncContext async() {
        return async;
    }

    boolean isStarted() {
        return started;
    }

    boolean isReleased() {
        return released.get();
    }

    /** Closes the subscription, returns the permit and leaves the registry: once, from any thread. */
    void release() {
        if (released.compareAndSet(false, true)) {
            // Holds nothing when subscribing failed: only the permit is held.
            held.closeAll();
            registry.remove(this);
            permit.close();
            Closed reason = closing;
            meter.closed(reason == null ? Closed.CLIENT : reason);
        }
    }

    /** Completes the async request: once, from any thread. */
    void complete() {
        if (completed.compareAndSet(false, true)) {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // Completed by the container after an error.
            }
        }
    }

    void finish() {
        release();
        complete();
    }

    /** Runs {@code task} on a container thread; when the request is already over, finishes instead. */
    void dispatch(Runnable task) {
        try {
            async.start(task);
        } catch (IllegalStateException e) {
            finish();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        delivery.timeout();
    }

    @Override
    public void onError(AsyncEvent event) {
        LOG.debug("Suspended exchange failed, client gone", event.getThrowable());
        finish();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        completed.set(true);
        release();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
