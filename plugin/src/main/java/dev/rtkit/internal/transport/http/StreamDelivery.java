package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.Message;
import dev.rtkit.internal.transport.SerialDrain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived response (SSE or NDJSON) fed from the exchange's subscription with non-blocking writes. A
 * publish pumps on the publisher's thread, heartbeats on a container thread, write completions on the
 * container's callback; the pump writes only while the container says the connection is ready, so a stalled
 * reader costs one buffer and never holds up the publisher.
 *
 * <p>Over HTTP/1.x the container reads nothing from the connection while the response is open, so a client that
 * closes it is only noticed when a write fails: the second after the close (the first draws the peer's reset).
 * An idle stream is therefore probed every second with a byte or two its client skips ({@link Framing#probe}),
 * and a closed one frees its permit and subscription within about two seconds rather than two heartbeats. Over
 * h2 the container reads every frame and reports a reset or a closed connection at once: no probes.
 */
final class StreamDelivery implements Delivery, WriteListener {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDelivery.class);

    private final SuspendedExchange exchange;
    private final Framing framing;
    private final int maxBatch;
    private final SerialDrain pump = new SerialDrain(this::drain, e -> {
        LOG.debug("Stream write failed, client gone", e);
        finish();
    });
    private final boolean probes;
    private volatile boolean heartbeatDue;
    private volatile boolean probeDue;
    private volatile boolean ending;
    /** When a frame or a heartbeat was last taken: what the heartbeat measures silence by. */
    private volatile long lastWrite = System.nanoTime();
    /** When anything, probes included, was last written. */
    private volatile long lastSent = System.nanoTime();
    private ServletOutputStream out;
    /** Writes that bypass the response buffer, or null: bytes, then a flush per batch. */
    private BufferWrite direct;
    private boolean multi;
    private byte[] pending;
    private boolean needsFlush;

    /**
     * @param opening written first, right after the headers: the framing's preamble and any refusals
     * @param probes  probe the idle stream: the container does not tell of a close (HTTP/1.x)
     */
    StreamDelivery(SuspendedExchange exchange, Framing framing, int maxBatch, byte[] opening, boolean probes) {
        this.exchange = exchange;
        this.framing = framing;
        this.maxBatch = maxBatch;
        this.pending = opening;
        this.probes = probes;
    }

    /**
     * False for the multiplexed protocols (h2, h3), whose container reads the connection while a response is
     * open; true for HTTP/1.x, whose container does not.
     */
    static boolean needsProbes(String protocol) {
        return protocol == null || !(protocol.startsWith("HTTP/2") || protocol.startsWith("HTTP/3"));
    }

    @Override
    public void open() throws IOException {
        multi = exchange.subscription().topics().size() > 1;
        out = exchange.async().getResponse().getOutputStream();
        direct = BufferWrite.of(out);
        // From here on the stream writes without blocking; the exchange lets publishes pump only after this.
        out.setWriteListener(this);
    }

    @Override
    public void readable() {
        // Inline on the publisher's thread: the writes never block (they stop when the connection is not ready),
        // and one task per subscriber per publish would cost more than the write itself.
        pump.run();
    }

    @Override
    public void timeout() {
        finish();
    }

    @Override
    public void heartbeat(long idleNanos) {
        if (System.nanoTime() - lastWrite >= idleNanos) {
            heartbeatDue = true;
            dispatch();
        }
    }

    @Override
    public void probe(long idleNanos) {
        if (probes && System.nanoTime() - lastSent >= idleNanos) {
            probeDue = true;
            dispatch();
        }
    }

    @Override
    public void end() {
        ending = true;
        exchange.closing(dev.rtkit.internal.metrics.Closed.SHUTDOWN);
        dispatch();
    }

    private void dispatch() {
        if (exchange.isStarted() && !exchange.isReleased()) {
            exchange.dispatch(pump::run);
        }
    }

    @Override
    public void onWritePossible() {
        pump.run();
    }

    @Override
    public void onError(Throwable failure) {
        LOG.debug("Stream failed, client gone", failure);
        finish();
    }

    private void finish() {
        exchange.finish();
    }

    private void drain() throws IOException {
        while (!exchange.isReleased() && out.isReady()) {
            byte[] chunk = next();
            if (chunk != null) {
                if (direct != null) {
                    direct.write(out, chunk);
                } else {
                    out.write(chunk);
                    needsFlush = true;
                }
                exchange.meter().sent(chunk.length);
                lastSent = System.nanoTime();
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
        byte[] chunk = content();
        if (chunk != null) {
            // Anything written probes as well as a probe would.
            probeDue = false;
            lastWrite = System.nanoTime();
            return chunk;
        }
        if (probeDue) {
            probeDue = false;
            return framing.probe();
        }
        return null;
    }

    /** What the client reads: the opening, events, a heartbeat when one is due. */
    private byte[] content() {
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
        List<Event> events = exchange.subscription().poll(maxBatch);
        if (events.isEmpty()) {
            return null;
        }
        exchange.meter().delivered(events);
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
            List<Event> one = exchange.subscription().poll(1);
            if (one.isEmpty()) {
                break;
            }
            Event e = one.get(0);
            exchange.meter().delivered(one);
            if (buf == null) {
                buf = new ByteArrayOutputStream();
            }
            buf.writeBytes(framing.frame(e, e instanceof Message ? exchange.subscription().cursor() : null));
        }
        return buf == null ? null : buf.toByteArray();
    }
}
