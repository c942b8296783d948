package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.transport.Errors;
import dev.rtkit.internal.util.ErrorThrottle;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A poll whose cursor is ahead of this node's shared log (the client got the message from another node), suspended
 * until the log has looked again ({@code Subscription.decided()}), at most {@link #MAX_WAIT_MILLIS}: then one answer,
 * the cursor kept when still ahead. It holds no thread meanwhile (while the store is away, polls with forged future
 * cursors must not pin the container's threads) and, as any suspended exchange, a connection permit.
 */
final class CatchUpDelivery implements Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpDelivery.class);
    private static final ErrorThrottle ERRORS = new ErrorThrottle(LOG);
    /** How long a poll waits for the log to look again (one round trip, normally). UNIT: milliseconds. */
    static final long MAX_WAIT_MILLIS = 2000;

    private final SuspendedExchange exchange;
    private final int maxBatch;
    private final List<Refusal> refused;
    private final AtomicBoolean answered = new AtomicBoolean();

    CatchUpDelivery(SuspendedExchange exchange, int maxBatch, List<Refusal> refused) {
        this.exchange = exchange;
        this.maxBatch = maxBatch;
        this.refused = refused;
    }

    @Override
    public void open() {
    }

    /** At start, and when the log has looked again (on the log's thread): the answer goes out on a container thread. */
    @Override
    public void readable() {
        if (exchange.subscription().decided().isDone()) {
            exchange.dispatch(() -> answer(Closed.ANSWERED));
        }
    }

    /** Not decided within {@link #MAX_WAIT_MILLIS}: answered with what is known, the cursor kept. */
    @Override
    public void timeout() {
        answer(Closed.ANSWERED);
    }

    @Override
    public void heartbeat(long idleNanos) {
        // Answered within seconds: no heartbeat comes due.
    }

    @Override
    public void end() {
        answer(Closed.SHUTDOWN);
    }

    private void answer(Closed reason) {
        if (!answered.compareAndSet(false, true) || exchange.isReleased()) {
            return;
        }
        HttpServletResponse resp = (HttpServletResponse) exchange.async().getResponse();
        try {
            List<Event> events = exchange.subscription().poll(maxBatch);
            byte[] body = Batch.encode(events, exchange.subscription().cursor(), refused);
            exchange.meter().delivered(events);
            exchange.closing(reason);
            exchange.release();
            HttpTransports.writeJson(resp, body);
            exchange.meter().sent(body.length);
        } catch (IOException e) {
            LOG.debug("Poll answer failed, client gone", e);
        } catch (RuntimeException e) {
            // Outside the servlet's own handling: answered as it would have, never an empty 200.
            failed(resp, e);
        } finally {
            exchange.finish();
        }
    }

    private static void failed(HttpServletResponse resp, RuntimeException e) {
        int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        String message = "internal error";
        if (e instanceof RtkitException r) {
            status = Errors.status(r);
            message = r.getMessage();
        } else {
            ERRORS.error("poll-answer", "Failed a poll answered once its log looked again", e);
        }
        if (!resp.isCommitted()) {
            try {
                Errors.send(resp, status, message);
            } catch (IOException gone) {
                LOG.debug("Poll error answer failed, client gone", gone);
            }
        }
    }
}
