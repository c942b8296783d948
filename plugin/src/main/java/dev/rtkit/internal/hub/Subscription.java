package dev.rtkit.internal.hub;

import dev.rtkit.MessageId;
import dev.rtkit.Gap;
import dev.rtkit.spi.TopicLog;
import dev.rtkit.Event;
import dev.rtkit.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A subscriber's place in one or more topics. It holds no copy of any message: it is a cursor into each
 * topic's shared history, and {@link #poll(int)} reads onward from it. Memory per subscriber is therefore
 * constant however far behind it falls; one that falls further behind than history retains gets a
 * {@link Gap} and continues from the oldest retained message.
 */
public final class Subscription implements AutoCloseable {
    /** Position meaning "from the oldest retained message", after a gap already decided at subscribe. */
    private static final long OLDEST = -1;

    private final Hub hub;
    private final Topic[] topics;
    private final String[] names;
    /** Per topic, the epoch that {@link #positions} count in: a topic's log may start a new one. */
    private final String[] epochs;
    private final long[] positions;
    private final Gap.Reason[] pendingGaps;
    private final String[] pendingSince;
    private final Subscriber subscriber;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Per topic, this subscription's slot in the topic's {@link FanOut}, or -1; guarded by that fan-out. */
    private final int[] slots;
    private int nextTopic;
    /** Completes once every cursor that was ahead of its log has been looked at again (at once when none was). */
    private CompletableFuture<Void> decided = CompletableFuture.completedFuture(null);

    Subscription(Hub hub, Topic[] topics, Map<String, MessageId> since, Subscriber subscriber) {
        this.hub = hub;
        this.topics = topics;
        this.subscriber = subscriber;
        int n = topics.length;
        this.names = new String[n];
        this.epochs = new String[n];
        this.positions = new long[n];
        this.pendingGaps = new Gap.Reason[n];
        this.pendingSince = new String[n];
        this.slots = new int[n];
        java.util.Arrays.fill(slots, -1);
        for (int i = 0; i < n; i++) {
            names[i] = topics[i].name;
            TopicLog.Topic log = topics[i].log;
            // Epoch before seq: a seq read after a newer epoch would be counted in the older one.
            epochs[i] = log.epoch();
            long last = log.lastSeq();
            MessageId id = since.get(names[i]);
            if (id == null) {
                positions[i] = last;
            } else if (!id.epoch().equals(epochs[i])) {
                gapAtStart(i, Gap.Reason.EPOCH, id);
            } else if (id.seq() > last) {
                positions[i] = id.seq();
                awaitCatchUp(i, id, log.refresh().toCompletableFuture());
            } else {
                positions[i] = id.seq();
            }
        }
    }

    /**
     * The cursor is ahead of what this node's log has seen. With a shared log that is normal for a moment (the client
     * got the message from another node): the cursor is kept, and only once the log has looked again is a position
     * it still never reached a gap {@code unknown}. Until then nothing is read from the topic, and whatever arrives
     * after the cursor is delivered as usual. A poll answers once {@link #decided()} (a round trip, normally).
     */
    private void awaitCatchUp(int i, MessageId since, CompletableFuture<Void> refreshed) {
        if (refreshed.isDone()) {
            decideAhead(i, since);
            return;
        }
        Thread opener = Thread.currentThread();
        CompletableFuture<Void> looked = refreshed.thenRun(() -> {
            synchronized (this) {
                decideAhead(i, since);
            }
            // Completed while still being opened here: the opener polls next anyway.
            if (Thread.currentThread() != opener) {
                signal();
            }
        });
        decided = CompletableFuture.allOf(decided, looked);
    }

    /**
     * Completes once every topic whose cursor was ahead of its log has been looked at again: at once with a log that
     * sees every append, after a round trip with a shared one, only when the store answers while it is away. A poll
     * answers after it, without holding a thread meanwhile.
     */
    public CompletableFuture<Void> decided() {
        return decided;
    }

    private void decideAhead(int i, MessageId since) {
        TopicLog.Topic log = topics[i].log;
        if (pendingGaps[i] == null && positions[i] == since.seq() && epochs[i].equals(log.epoch())
                && log.lastSeq() < since.seq()) {
            gapAtStart(i, Gap.Reason.UNKNOWN, since);
        }
    }

    private void gapAtStart(int i, Gap.Reason reason, MessageId since) {
        positions[i] = OLDEST;
        pendingGaps[i] = reason;
        pendingSince[i] = since.toString();
    }

    /**
     * Up to {@code max} events after the cursor, in order per topic, and moves the cursor past them.
     * Never blocks; an empty list means nothing is waiting.
     */
    public synchronized List<Event> poll(int max) {
        if (!pending()) {
            return List.of();
        }
        int n = topics.length;
        List<Event> out = new ArrayList<>(Math.min(max, 16));
        for (int k = 0; k < n && out.size() < max; k++) {
            int i = (nextTopic + k) % n;
            readTopic(i, max - out.size(), out);
        }
        nextTopic = (nextTopic + 1) % n;
        return out;
    }

    /**
     * False when every topic's last seq is at or below this subscription's position and no gap is due: then
     * there is nothing to read, and the topic's history lock is not taken (a write completion polls once more).
     */
    private boolean pending() {
        for (int i = 0; i < topics.length; i++) {
            TopicLog.Topic log = topics[i].log;
            if (pendingGaps[i] != null || positions[i] < log.lastSeq() || !epochs[i].equals(log.epoch())) {
                return true;
            }
        }
        return false;
    }

    private void readTopic(int i, int max, List<Event> out) {
        long position = positions[i];
        TopicLog.Read read = topics[i].log.readAfter(position, max);
        if (!read.epoch().equals(epochs[i])) {
            // The log lost this topic's history (e.g. a shared store restarted empty): say so, then read it all.
            if (pendingGaps[i] == null) {
                pendingGaps[i] = Gap.Reason.EPOCH;
                pendingSince[i] = epochs[i] + "-" + Math.max(0, position);
            }
            epochs[i] = read.epoch();
            position = OLDEST;
            read = topics[i].log.readAfter(position, max);
        }
        List<Message> retained = read.messages();
        boolean gap = true;
        if (pendingGaps[i] != null) {
            out.add(new Gap(names[i], pendingGaps[i], pendingSince[i], firstId(retained)));
            pendingGaps[i] = null;
        } else if (position < read.forgottenSeq()) {
            out.add(new Gap(names[i], Gap.Reason.EXPIRED, epochs[i] + "-" + position, firstId(retained)));
        } else {
            gap = false;
        }
        // A gap takes one of the max events: a writer polling one event at a time must not skip the message after it.
        int room = gap ? max - 1 : max;
        List<Message> messages = retained.size() > room ? retained.subList(0, Math.max(0, room)) : retained;
        // Indexed, not addAll: no copy of the read's array on every poll.
        for (int k = 0, size = messages.size(); k < size; k++) {
            out.add(messages.get(k));
        }
        if (!messages.isEmpty()) {
            positions[i] = messages.get(messages.size() - 1).id().seq();
        } else if (retained.isEmpty()) {
            positions[i] = Math.max(position, read.lastSeq());
        } else {
            // Only the gap fitted: continue at the oldest retained message, without a second gap.
            positions[i] = Math.max(position, read.forgottenSeq());
        }
    }

    private static String firstId(List<Message> messages) {
        return messages.isEmpty() ? null : messages.get(0).id().toString();
    }

    /** The cursor after everything polled so far: hand it to the client to resume from. */
    public synchronized String cursor() {
        return Cursor.format(names, epochs, positions);
    }

    /** The subscribed topics, in the order given at subscribe. */
    public List<String> topics() {
        return List.of(names);
    }

    public boolean isClosed() {
        return closed.get();
    }

    int slot(int topicIndex) {
        return slots[topicIndex];
    }

    void slot(int topicIndex, int slot) {
        slots[topicIndex] = slot;
    }

    void signal() {
        if (!closed.get() && subscriber != null) {
            subscriber.onReadable();
        }
    }

    /** Stops live delivery and releases the subscription; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (int i = 0; i < topics.length; i++) {
                topics[i].remove(this, i);
            }
            hub.closed(this);
        }
    }
}
