package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.internal.metrics.Closed;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parked long-poll's one answer: the first publish to any of its topics, the timeout or a shutdown answers it
 * with everything waiting (up to the batch limit). The timeout is rtkit's own, checked by the exchanges' probe
 * every second (so at most a second late), not the container's: a container timeout is a scheduler entry per poll, added and
 * removed under the scheduler's lock on every answer, and long-polls are answered all the time.
 */
final class LongPollDelivery implements Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(LongPollDelivery.class);
    /** Answers up to this size are written on the signalling thread; larger ones on a container thread of their own. */
    private static final int INLINE_LIMIT = 16 * 1024;

    private final SuspendedExchange exchange;
    private final int maxBatch;
    private boolean answered;
    private volatile boolean ending;
    private volatile boolean expiring;
    /** System.nanoTime() at which the poll is answered empty; only with {@link #timed}. */
    private volatile long deadline;
    private volatile boolean timed;

    LongPollDelivery(SuspendedExchange exchange, int maxBatch) {
        this.exchange = exchange;
        this.maxBatch = maxBatch;
    }

    @Override
    public void open() {
        // Still inside the request's dispatch, so the container has not scheduled its timeout yet: take it over,
        // when a second late is at most a tenth of it (a short timeout stays the container's, to the millisecond).
        AsyncContext async = exchange.async();
        long timeout = async.getTimeout();
        if (timeout >= 10 * Exchanges.TICK.toMillis()) {
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
            timed = true;
            async.setTimeout(0);
        }
    }

    @Override
    public void readable() {
        byte[] body = take(false);
        if (body == null) {
            return;
        }
        if (body.length <= INLINE_LIMIT) {
            // Small answers go out on the signalling thread (the publisher's, or a fan-out task's): the client is
            // waiting on an empty connection, so the write does not wait, and a task per answer would cost more.
            send(body);
        } else {
            exchange.dispatch(() -> send(body));
        }
    }

    @Override
    public void timeout() {
        answerNow();
    }

    @Override
    public void heartbeat(long idleNanos) {
        // A long-poll's timeout comes before any heartbeat would.
    }

    /** The exchanges' probe, every second: a long-poll has nothing to probe with, only its deadline to check. */
    @Override
    public void probe(long idleNanos) {
        if (timed && !expiring && System.nanoTime() - deadline >= 0) {
            expiring = true;
            // The probe runs on the shared timer: the answer is written on a container thread.
            exchange.dispatch(this::timeout);
        }
    }

    @Override
    public void end() {
        ending = true;
        answerNow();
    }

    /** Answers now with whatever is waiting, even nothing. */
    private void answerNow() {
        byte[] body = take(true);
        if (body != null) {
            send(body);
        }
    }

    /** The answer, taken once: null when already answered, or when nothing waits and empty is not wanted. */
    private synchronized byte[] take(boolean evenIfEmpty) {
        if (answered || exchange.isReleased()) {
            return null;
        }
        List<Event> events = exchange.subscription().poll(maxBatch);
        if (events.isEmpty() && !evenIfEmpty) {
            return null;
        }
        answered = true;
        byte[] body = Batch.encode(events, exchange.subscription().cursor(), List.of());
        exchange.meter().delivered(events);
        exchange.closing(!events.isEmpty() ? Closed.ANSWERED : ending ? Closed.SHUTDOWN : Closed.TIMEOUT);
        exchange.release();
        return body;
    }

    private void send(byte[] body) {
        try {
            HttpTransports.writeJson((HttpServletResponse) exchange.async().getResponse(), body);
            exchange.meter().sent(body.length);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Long-poll answer failed, client gone", e);
        } finally {
            exchange.complete();
        }
    }
}
