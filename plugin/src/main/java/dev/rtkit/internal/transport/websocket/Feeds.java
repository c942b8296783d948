package dev.rtkit.internal.transport.websocket;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.metrics.Metrics;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The subscriptions one WebSocket delivers, taken from in turn: up to a batch of events from one feed, then the
 * next feed that has any. Only the outbox's draining thread calls {@link #next()}, so the batch needs no lock.
 * A frame is a {@link Message} when its shared encoding is sent as is, else its text.
 */
final class Feeds {
    /** A subscription and whether its messages carry the whole cursor (several topics). */
    record Feed(Subscription subscription, boolean withCursor) {
    }

    private final int maxBatch;
    private final List<Feed> feeds = new CopyOnWriteArrayList<>();
    /** Frames taken from {@link #batchFeed}, not yet sent (a refill takes from one feed only). */
    private final ArrayDeque<Object> batch = new ArrayDeque<>();
    private Feed batchFeed;
    private int nextFeed;
    private volatile Metrics.Connection meter = Metrics.Connection.NONE;

    Feeds(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    void meter(Metrics.Connection meter) {
        this.meter = meter;
    }

    void add(Feed feed) {
        feeds.add(feed);
    }

    void remove(Subscription s) {
        feeds.removeIf(f -> f.subscription() == s);
    }

    /** The next frame to send, or null when no feed has anything waiting. */
    Object next() {
        if (batch.isEmpty()) {
            refill();
        }
        Object frame = batch.poll();
        // Taken before an unsubscribe: no longer wanted.
        if (frame != null && batchFeed.subscription().isClosed()) {
            batch.clear();
            refill();
            frame = batch.poll();
        }
        return frame;
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
                Event e = events.get(i);
                batch.add(e instanceof Message ? e : Frames.gap((Gap) e));
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
            batch.add(e instanceof Message m ? Frames.messageWithCursor(m.text(), s.cursor()) : Frames.gap((Gap) e));
        }
    }
}
