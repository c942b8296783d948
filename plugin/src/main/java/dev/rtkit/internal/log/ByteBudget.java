package dev.rtkit.internal.log;

import dev.rtkit.Message;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link MemoryLog}'s total byte bound. Every appended message is queued here in append order (seqs are
 * global, so the queue's head is the oldest message of all topics) with its estimated size; past the budget the
 * head's message is forgotten in its topic, whichever topic that is. A message forgotten otherwise (count or age
 * bound) stays counted until its entry reaches the head: the count may overstate what is held, never understate
 * it, so the heap the log holds stays within the budget.
 */
final class ByteBudget {
    /** Bookkeeping per message: the entry, the message object, its id and the ring slot. UNIT: bytes. */
    static final int OVERHEAD_BYTES = 256;

    private final long maxBytes;
    private final AtomicLong counted = new AtomicLong();
    private final ConcurrentLinkedQueue<Entry> order = new ConcurrentLinkedQueue<>();

    private record Entry(RingTopic topic, long seq, long bytes) {
    }

    ByteBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * What a retained message costs the heap: its payload string, its canonical JSON (bytes, and once as a String
     * for WebSocket frames) and the encodings each wire format caches on it (SSE, SSE JSON, NDJSON: each about the
     * canonical JSON's size), plus bookkeeping.
     */
    static long estimate(Message m) {
        return 2L * m.data().length() + 5L * m.json().length + OVERHEAD_BYTES;
    }

    /** Called by a topic, under its lock, for each message it appended (so a topic's entries are in seq order). */
    void appended(RingTopic topic, Message m) {
        long bytes = estimate(m);
        order.offer(new Entry(topic, m.id().seq(), bytes));
        counted.addAndGet(bytes);
    }

    /**
     * Reclaims entries of messages already forgotten at the head, then forgets the oldest messages until the
     * count is within the budget. Called after an append, holding no topic's lock (it takes other topics' locks).
     */
    void enforce() {
        synchronized (this) {
            Entry head;
            while ((head = order.peek()) != null && (counted.get() > maxBytes || !head.topic.retains(head.seq))) {
                order.poll();
                head.topic.forgetUpTo(head.seq);
                counted.addAndGet(-head.bytes);
            }
        }
    }

    /** Bytes counted as retained: payloads, encodings and bookkeeping of messages not yet reclaimed. */
    long counted() {
        return counted.get();
    }
}
