package dev.rtkit.internal.transport.websocket;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.internal.hub.Subscription;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import dev.rtkit.internal.transport.SerialDrain;
import dev.rtkit.internal.metrics.Metrics;

/**
 * Every text frame one WebSocket sends, one in flight at a time. Publishes, replies, heartbeats and send
 * completions each trigger {@link #pump()}; one thread at a time drains (a trigger during a drain makes it
 * go round once more), and a drain stops while a send is in flight, so no thread ever waits on the peer.
 * Events are taken from the subscriptions only when the previous frame is out: a slow reader falls
 * behind in history (and gets a gap), it never grows a queue here.
 */
final class Outbox implements SendHandler {
    /** A subscription and whether its messages carry the whole cursor (several topics). */
    record Feed(Subscription subscription, boolean withCursor) {
    }

    private final Session session;
    private final int maxBatch;
    private final int maxReplies;
    private final Consumer<Throwable> onFailure;
    private final Queue<String> replies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger replyCount = new AtomicInteger();
    private final List<Feed> feeds = new CopyOnWriteArrayList<>();
    private final SerialDrain drain = new SerialDrain(this::drain, this::fail);
    /** Texts taken from {@link #batchFeed}, not yet sent (a refill takes from one feed only). */
    private final ArrayDeque<String> batch = new ArrayDeque<>();
    private Feed batchFeed;
    private volatile boolean inFlight;
    private volatile long sendStarted;
    private volatile boolean closed;
    private int nextFeed;
    private volatile Metrics.Connection meter = Metrics.Connection.NONE;
    /** The thread inside {@link #drain()}, or null; only ever equal to the thread reading it while it drains. */
    private Thread drainer;

    Outbox(Session session, int maxBatch, int maxReplies, Consumer<Throwable> onFailure) {
        this.session = session;
        this.maxBatch = maxBatch;
        this.maxReplies = maxReplies;
        this.onFailure = onFailure;
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
    }

    void add(Feed feed) {
        feeds.add(feed);
        pump();
    }

    /** Stops taking from {@code s}'s feed (an unsubscribe). */
    void remove(Subscription s) {
        feeds.removeIf(f -> f.subscription() == s);
    }

    /** Nanoseconds the frame now in flight has waited for the peer, or 0. */
    long stalledFor(long now) {
        return inFlight ? now - sendStarted : 0;
    }

    void close() {
        closed = true;
    }

    void pump() {
        drain.run();
    }

    private void drain() throws IOException {
        drainer = Thread.currentThread();
        try {
            drainLoop();
        } finally {
            drainer = null;
        }
    }

    private void drainLoop() throws IOException {
        while (!closed && !inFlight) {
            String text = next();
            if (text == null) {
                return;
            }
            inFlight = true;
            sendStarted = System.nanoTime();
            meter.sent(utf8Length(text));
            // Completes on this thread when the write finishes at once: onResult then only clears the
            // flag, and this loop carries on without recursing.
            session.getAsyncRemote().sendText(text, this);
        }
    }

    private String next() {
        String reply = replies.poll();
        if (reply != null) {
            replyCount.decrementAndGet();
            return reply;
        }
        if (batch.isEmpty()) {
            refill();
        }
        String text = batch.poll();
        // Taken before an unsubscribe: no longer wanted.
        if (text != null && batchFeed.subscription().isClosed()) {
            batch.clear();
            refill();
            text = batch.poll();
        }
        return text;
    }

    /** Takes up to maxBatch events from the next feed that has any, round robin. */
    private void refill() {
        int n = feeds.size();
        for (int k = 0; k < n && batch.isEmpty(); k++) {
            Feed feed;
            try {
                feed = feeds.get((nextFeed + k) % n);
            } catch (IndexOutOfBoundsException e) {
                // Removed meanwhile; the next pump sees the new list.
                return;
            }
            if (!feed.subscription().isClosed()) {
                take(feed);
            }
        }
        nextFeed = n == 0 ? 0 : (nextFeed + 1) % n;
    }

    private void take(Feed feed) {
        Subscription s = feed.subscription();
        batchFeed = feed;
        if (!feed.withCursor()) {
            List<Event> events = s.poll(maxBatch);
            meter.delivered(events);
            for (int i = 0, n = events.size(); i < n; i++) {
                batch.add(text(events.get(i), null));
            }
            return;
        }
        for (int i = 0; i < maxBatch; i++) {
            List<Event> one = s.poll(1);
            if (one.isEmpty()) {
                return;
            }
            Event e = one.get(0);
            meter.delivered(one);
            batch.add(text(e, e instanceof Message ? s.cursor() : null));
        }
    }

    private String text(Event e, String cursor) {
        if (e instanceof Message m) {
            String json = m.text();
            return cursor == null ? json : Frames.messageWithCursor(json, cursor);
        }
        return Frames.gap((Gap) e);
    }

    /** Bytes of {@code s} in UTF-8, what the container writes for a text frame (without the frame's header). */
    private static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return n;
    }

    @Override
    public void onResult(SendResult result) {
        if (!result.isOK()) {
            fail(result.getException());
            return;
        }
        inFlight = false;
        // Completed inside sendText on the draining thread: its loop sees the cleared flag and carries on,
        // so a pump here would only make it go round once more to find nothing.
        if (drainer != Thread.currentThread()) {
            pump();
        }
    }

    /** An I/O failure means the client is gone; anything else is ours. Either way nothing more is sent. */
    private void fail(Throwable failure) {
        closed = true;
        onFailure.accept(failure);
    }
}
