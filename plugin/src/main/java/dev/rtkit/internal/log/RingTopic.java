package dev.rtkit.internal.log;

import dev.rtkit.Message;
import dev.rtkit.MessageId;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One topic of the {@link MemoryLog}: a ring of the last {@code capacity} messages. The ring starts small and
 * grows as messages arrive, so a topic with little history costs little heap.
 */
final class RingTopic implements TopicLog.Topic {
    private static final int INITIAL_SLOTS = 8;
    private static final Message[] NONE = new Message[0];

    private final MemoryLog log;
    private final String name;
    private final Runnable onAppend;
    private final int capacity;
    private Message[] ring;
    /** Slot of the oldest retained message, and how many are retained. */
    private int head;
    private int size;
    private long forgottenSeq;
    /** Written under the lock, read without it: a subscriber checks it before taking the lock. */
    private volatile long lastSeq;

    /**
     * @param startSeq     the log's position now: a reader from now starts here
     * @param forgottenSeq the newest message of this name the log no longer holds (0 when it never held one)
     */
    RingTopic(MemoryLog log, String name, Runnable onAppend, long startSeq, long forgottenSeq, int capacity) {
        this.log = log;
        this.name = name;
        this.onAppend = onAppend;
        this.capacity = capacity;
        this.ring = new Message[Math.min(INITIAL_SLOTS, capacity)];
        this.forgottenSeq = forgottenSeq;
        this.lastSeq = startSeq;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<Message> append(Payload payload, String event, long now) {
        Message message;
        synchronized (this) {
            // Seq is taken under the topic's lock, so seqs increase in append order within the topic.
            long seq = log.nextSeq();
            message = new Message(name, new MessageId(log.epoch(), seq), event, payload, now);
            if (size == capacity) {
                forgetOldest();
            }
            if (size == ring.length) {
                grow();
            }
            ring[(head + size) % ring.length] = message;
            size++;
            lastSeq = seq;
            log.budget().appended(this, message);
        }
        log.budget().enforce();
        onAppend.run();
        return CompletableFuture.completedFuture(message);
    }

    private void grow() {
        Message[] bigger = new Message[Math.max(INITIAL_SLOTS, Math.min(capacity, ring.length * 2))];
        for (int i = 0; i < size; i++) {
            bigger[i] = at(i);
        }
        ring = bigger;
        head = 0;
    }

    private void forgetOldest() {
        forgottenSeq = ring[head].id().seq();
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
    }

    @Override
    public String epoch() {
        return log.epoch();
    }

    @Override
    public synchronized TopicLog.Read readAfter(long afterSeq, int max) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid).id().seq() <= afterSeq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int n = Math.min(max, size - lo);
        List<Message> out = new ArrayList<>(n);
        for (int i = lo; i < lo + n; i++) {
            out.add(at(i));
        }
        return new TopicLog.Read(log.epoch(), out, forgottenSeq, lastSeq);
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    synchronized void expireBefore(long cutoff) {
        while (size > 0 && ring[head].timestamp() < cutoff) {
            forgetOldest();
        }
    }

    /** True while the message {@code seq} of this topic is retained. */
    synchronized boolean retains(long seq) {
        return size > 0 && ring[head].id().seq() <= seq;
    }

    /** Forgets every retained message up to and including {@code seq} (the byte budget's oldest-first). */
    synchronized void forgetUpTo(long seq) {
        while (size > 0 && ring[head].id().seq() <= seq) {
            forgetOldest();
        }
    }

    synchronized long forgottenSeq() {
        return forgottenSeq;
    }

    @Override
    public synchronized boolean isEmpty() {
        return size == 0;
    }

    @Override
    public void release() {
        synchronized (this) {
            if (size == 0) {
                // The budget's queue may still name this topic for a while: keep no ring alive for it.
                ring = NONE;
                head = 0;
            }
        }
        log.released(this);
    }

    private Message at(int index) {
        return ring[(head + index) % ring.length];
    }
}
