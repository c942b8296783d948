package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.internal.metrics.Closed;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parked long-poll's one answer: the first publish to any of its topics, the timeout or a shutdown answers it
 * with everything waiting (up to the batch limit).
 */
final class LongPollDelivery implements Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(LongPollDelivery.class);
    /** Answers up to this size are written on the publisher's thread; larger ones on a container thread. */
    private static final int INLINE_LIMIT = 16 * 1024;

    private final SuspendedExchange exchange;
    private final int maxBatch;
    private boolean answered;
    private volatile boolean ending;

    LongPollDelivery(SuspendedExchange exchange, int maxBatch) {
        this.exchange = exchange;
        this.maxBatch = maxBatch;
    }

    @Override
    public void open() {
    }

    @Override
    public void readable() {
        byte[] body = take(false);
        if (body == null) {
            return;
        }
        if (body.length <= INLINE_LIMIT) {
            // Small answers go out on the publisher's thread: the client is waiting on an empty connection, so
            // the write does not wait, and a task per parked request would cost more than the write.
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
