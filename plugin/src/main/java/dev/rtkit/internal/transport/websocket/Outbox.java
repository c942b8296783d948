package dev.rtkit.internal.transport.websocket;

import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.transport.SerialDrain;
import jakarta.websocket.Session;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Every text frame one WebSocket sends, one write in flight at a time. Publishes, replies, heartbeats and send
 * completions each trigger {@link #pump()}; one thread at a time drains (a trigger during a drain makes it go
 * round once more), and a drain stops while a write is in flight, so no thread ever waits on the peer. Frames
 * ready together (a backlog, or replies beside messages) go out as one group in one write where the container
 * allows it ({@link TextWire}). Events are taken from the subscriptions only when the previous write is out: a
 * slow reader falls behind in history (and gets a gap), it never grows a queue here.
 */
final class Outbox {
    /** Most payload bytes one group carries: a peer that stops reading holds no more than this in the container. */
    static final int GROUP_BYTES = 16 * 1024;

    private final int maxBatch;
    private final int maxReplies;
    private final Consumer<Throwable> onFailure;
    private final Queue<String> replies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger replyCount = new AtomicInteger();
    private final Feeds feeds;
    private final TextWire wire;
    private final SerialDrain drain = new SerialDrain(this::drain, this::fail);
    private final AtomicBoolean failed = new AtomicBoolean();
    private volatile boolean inFlight;
    private volatile long sendStarted;
    private volatile boolean closed;
    private volatile Metrics.Connection meter = Metrics.Connection.NONE;
    /** The thread inside {@link #drain()}, or null; only ever equal to the thread reading it while it drains. */
    private Thread drainer;

    Outbox(Session session, int maxBatch, int maxReplies, Consumer<Throwable> onFailure) {
        this.maxBatch = maxBatch;
        this.maxReplies = maxReplies;
        this.onFailure = onFailure;
        this.feeds = new Feeds(maxBatch);
        this.wire = TextWire.of(session, this::written, this::fail);
    }

    /** Queues a reply (ack, error, subscribed…); false when the client has left too many unread. */
    boolean reply(String text) {
        if (replyCount.incrementAndGet() > maxReplies) {
            replyCount.decrementAndGet();
            return false;
        }
        replies.add(text);
        pump();
        return true;
    }

    /** Where deliveries and bytes are counted, once the connection is admitted. */
    void meter(Metrics.Connection meter) {
        this.meter = meter;
        feeds.meter(meter);
    }

    void add(Feeds.Feed feed) {
        feeds.add(feed);
        pump();
    }

    /** Stops taking from {@code s}'s feed (an unsubscribe). */
    void remove(Subscription s) {
        feeds.remove(s);
    }

    /** Nanoseconds the write now in flight has waited for the peer, or 0. */
    long stalledFor(long now) {
        return inFlight ? now - sendStarted : 0;
    }

    void close() {
        closed = true;
    }

    void pump() {
        drain.run();
    }

    private void drain() {
        drainer = Thread.currentThread();
        try {
            drainLoop();
        } finally {
            drainer = null;
        }
    }

    private void drainLoop() {
        while (!closed && !inFlight) {
            Object frame = next();
            if (frame == null) {
                return;
            }
            inFlight = true;
            sendStarted = System.nanoTime();
            int bytes = 0;
            // A group: while another frame is ready (and the group has room) this one is sent with "more".
            // Completes on this thread when the write finishes at once: written then only clears the flag, and
            // this loop carries on without recursing.
            for (int n = 1; ; n++) {
                Object after = wire.groups() && n < maxBatch && bytes < GROUP_BYTES ? next() : null;
                int sent = wire.send(frame, after != null);
                meter.sent(sent);
                bytes += sent;
                if (after == null) {
                    break;
                }
                frame = after;
            }
        }
    }

    private Object next() {
        String reply = replies.poll();
        if (reply != null) {
            replyCount.decrementAndGet();
            return reply;
        }
        return feeds.next();
    }

    /** The last frame of a group is on the wire. */
    private void written() {
        inFlight = false;
        // Completed inside send on the draining thread: its loop sees the cleared flag and carries on, so a pump
        // here would only make it go round once more to find nothing.
        if (drainer != Thread.currentThread()) {
            pump();
        }
    }

    /** An I/O failure means the client is gone; anything else is ours. Either way nothing more is sent, told once. */
    private void fail(Throwable failure) {
        closed = true;
        if (failed.compareAndSet(false, true)) {
            onFailure.accept(failure);
        }
    }
}
