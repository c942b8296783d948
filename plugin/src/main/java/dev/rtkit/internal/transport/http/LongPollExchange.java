package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.internal.hub.Subscriber;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.metrics.Metrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parked long-poll: no thread is held while it waits. The first publish to any of its topics, or the
 * timeout, answers it once with everything waiting (up to the batch limit).
 */
final class LongPollExchange implements Subscriber, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(LongPollExchange.class);
    /** Answers up to this size are written on the publisher's thread; larger ones on a container thread. */
    private static final int INLINE_LIMIT = 16 * 1024;

    private final int maxBatch;
    private final Set<LongPollExchange> parked;
    private final Guard.Permit permit;
    private volatile AsyncContext async;
    private Subscription subscription;
    private Metrics.Connection meter = Metrics.Connection.NONE;
    private boolean answered;
    /** Set by {@link #answerNow()}: the server is stopping. */
    private volatile boolean closing;

    LongPollExchange(int maxBatch, Set<LongPollExchange> parked, Guard.Permit permit) {
        this.maxBatch = maxBatch;
        this.parked = parked;
        this.permit = permit;
    }

    void park(AsyncContext async, Subscription subscription, long timeoutMillis, Metrics.Connection meter) {
        this.subscription = subscription;
        this.meter = meter;
        async.setTimeout(timeoutMillis);
        async.addListener(this);
        parked.add(this);
        this.async = async;
        // A publish between the first poll and now signalled before we were ready: look once more.
        answerIfReady(false);
    }

    @Override
    public void onReadable() {
        AsyncContext a = async;
        if (a == null) {
            return;
        }
        byte[] body = take(false);
        if (body == null) {
            return;
        }
        if (body.length <= INLINE_LIMIT) {
            // Small answers go out on the publisher's thread: the client is waiting on an empty connection, so
            // the write does not wait, and a task per parked request would cost more than the write.
            send(body);
        } else {
            try {
                a.start(() -> send(body));
            } catch (IllegalStateException e) {
                LOG.debug("Long-poll failed before its answer", e);
            }
        }
    }

    /** Answers now with whatever is waiting, even nothing: the server is stopping. */
    void answerNow() {
        closing = true;
        answerIfReady(true);
    }

    private void answerIfReady(boolean evenIfEmpty) {
        byte[] body = take(evenIfEmpty);
        if (body != null) {
            send(body);
        }
    }

    /** The answer, taken once: null when already answered, or when nothing waits and empty is not wanted. */
    private byte[] take(boolean evenIfEmpty) {
        synchronized (this) {
            if (answered) {
                return null;
            }
            List<Event> events = subscription.poll(maxBatch);
            if (events.isEmpty() && !evenIfEmpty) {
                return null;
            }
            answered = true;
            byte[] body = Batch.encode(events, subscription.cursor());
            meter.delivered(events);
            meter.closed(events.isEmpty() ? (closing ? Closed.SHUTDOWN : Closed.TIMEOUT) : Closed.ANSWERED);
            release();
            return body;
        }
    }

    private void send(byte[] body) {
        try {
            HttpTransports.writeJson((HttpServletResponse) async.getResponse(), body);
            meter.sent(body.length);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Long-poll answer failed, client gone", e);
        } finally {
            complete();
        }
    }

    private void release() {
        subscription.close();
        parked.remove(this);
        permit.close();
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // Completed by the container after an error.
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        answerIfReady(true);
    }

    @Override
    public void onError(AsyncEvent event) {
        synchronized (this) {
            answered = true;
        }
        meter.closed(Closed.CLIENT);
        release();
        complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        release();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
