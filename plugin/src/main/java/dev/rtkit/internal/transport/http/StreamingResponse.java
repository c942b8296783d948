package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.Message;
import dev.rtkit.internal.hub.Subscriber;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.SerialDrain;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.metrics.Metrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived response (SSE or NDJSON) fed from a subscription with non-blocking writes. Holds no thread
 * while idle: a publish pumps on the publisher's thread, heartbeats on a container thread, write completions on
 * the container's callback; the pump writes only while the container says the connection is ready, so a
 * stalled reader costs one buffer and never holds up the publisher.
 */
final class StreamingResponse implements Subscriber, WriteListener, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingResponse.class);

    private final Framing framing;
    private final int maxBatch;
    private final Streams streams;
    private final Guard.Permit permit;
    private final SerialDrain pump = new SerialDrain(this::drain, e -> {
        LOG.debug("Stream write failed, client gone", e);
        finish();
    });
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean started;
    private volatile boolean heartbeatDue;
    private volatile boolean ending;
    private volatile long lastWrite = System.nanoTime();
    private AsyncContext async;
    private ServletOutputStream out;
    private Subscription subscription;
    private Metrics.Connection meter = Metrics.Connection.NONE;
    private boolean multi;
    private byte[] pending;
    private boolean needsFlush;

    StreamingResponse(Framing framing, int maxBatch, Streams streams, Guard.Permit permit) {
        this.framing = framing;
        this.maxBatch = maxBatch;
        this.streams = streams;
        this.permit = permit;
    }

    /** Takes over the started async request and starts writing (the preamble, then whatever is waiting). */
    void start(AsyncContext async, Subscription subscription, Metrics.Connection meter) throws IOException {
        this.meter = meter;
        this.async = async;
        this.subscription = subscription;
        this.multi = subscription.topics().size() > 1;
        this.pending = framing.preamble();
        // Streams live until the client leaves: no container timeout.
        async.setTimeout(0);
        async.addListener(this);
        streams.add(this);
        out = async.getResponse().getOutputStream();
        out.setWriteListener(this);
        // Only now may publishes pump: before the listener is set the stream would still write blocking.
        started = true;
        // A publish that came before the flag was set was not pumped: look once more.
        pump.run();
    }

    @Override
    public void onReadable() {
        // Inline on the publisher's thread: the writes never block (they stop when the connection is not ready),
        // and one task per subscriber per publish would cost more than the write itself.
        if (started && !finished.get()) {
            pump.run();
        }
    }

    void heartbeatIfIdle(long idleNanos) {
        if (System.nanoTime() - lastWrite >= idleNanos) {
            heartbeatDue = true;
            dispatch();
        }
    }

    /** Sends what is waiting, then ends the response cleanly (server shutdown). */
    void end() {
        ending = true;
        dispatch();
    }

    private void dispatch() {
        if (started && !finished.get()) {
            try {
                async.start(pump::run);
            } catch (IllegalStateException e) {
                // Completed meanwhile: nothing to write to.
                finish();
            }
        }
    }

    @Override
    public void onWritePossible() {
        pump.run();
    }

    private void drain() throws IOException {
        while (!finished.get() && out.isReady()) {
            byte[] chunk = next();
            if (chunk != null) {
                out.write(chunk);
                meter.sent(chunk.length);
                needsFlush = true;
                lastWrite = System.nanoTime();
            } else if (needsFlush) {
                // One flush per batch: every event taken is on the wire before the pump rests.
                needsFlush = false;
                out.flush();
            } else {
                if (ending) {
                    finish();
                }
                return;
            }
        }
    }

    private byte[] next() {
        if (pending != null) {
            byte[] b = pending;
            pending = null;
            return b;
        }
        byte[] batch = multi ? nextEachWithCursor() : nextBatch();
        if (batch != null) {
            return batch;
        }
        if (heartbeatDue) {
            heartbeatDue = false;
            return framing.heartbeat();
        }
        return null;
    }

    private byte[] nextBatch() {
        List<Event> events = subscription.poll(maxBatch);
        if (events.isEmpty()) {
            return null;
        }
        meter.delivered(events);
        if (events.size() == 1) {
            return framing.frame(events.get(0), null);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (Event e : events) {
            buf.writeBytes(framing.frame(e, null));
        }
        return buf.toByteArray();
    }

    /** Several topics: each message carries the whole cursor as of that message, so any resume is exact. */
    private byte[] nextEachWithCursor() {
        ByteArrayOutputStream buf = null;
        for (int i = 0; i < maxBatch; i++) {
            List<Event> one = subscription.poll(1);
            if (one.isEmpty()) {
                break;
            }
            Event e = one.get(0);
            meter.delivered(one);
            if (buf == null) {
                buf = new ByteArrayOutputStream();
            }
            buf.writeBytes(framing.frame(e, e instanceof Message ? subscription.cursor() : null));
        }
        return buf == null ? null : buf.toByteArray();
    }

    @Override
    public void onError(Throwable failure) {
        LOG.debug("Stream failed, client gone", failure);
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    /** Releases everything the stream holds; idempotent, from any thread. */
    void finish() {
        if (finished.compareAndSet(false, true)) {
            meter.closed(ending ? Closed.SHUTDOWN : Closed.CLIENT);
            subscription.close();
            streams.remove(this);
            permit.close();
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // Already completed by the container after an error.
            }
        }
    }
}
