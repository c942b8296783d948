package dev.rtkit.internal.hub;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic's live subscriptions, and how they are told that events may be waiting. A few are told on the
 * publisher's thread; more are told in blocks of {@value #CHUNK} on the executor, so a publish is answered once
 * the log holds the message rather than once every subscriber has been written to, and the writes spread over
 * the cores. A block already queued is not queued again: a signal only says "look", and the block reads whatever
 * the log holds when it runs, so publishes that come faster than the writes cost no extra tasks. Per-subscriber
 * order is the log's, since each subscriber drains its own cursor one pass at a time.
 * <p>
 * Each subscription holds a slot (the lowest free one), so joining and leaving cost O(1) and a publish reads
 * the slots as they are, with no copy of the members: long-polls join and leave on every answer.
 */
final class FanOut {
    /** Subscriptions told per task: large enough that a task costs little beside its writes. */
    static final int CHUNK = 64;
    /** Up to this many are told inline: a task would cost more than telling them. */
    static final int INLINE = 4;
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);

    private final Executor executor;
    /** Grows, never shrinks (an idle topic is retired whole). Replaced under the lock, read without it. */
    private volatile Block[] blocks = new Block[0];
    private volatile int size;
    /** No block below this one has a free slot. Guarded by this. */
    private int roomFrom;

    FanOut(Executor executor) {
        this.executor = executor;
    }

    /** Adds {@code s}, which keeps its slot as its {@code topicIndex}-th. */
    synchronized void add(Subscription s, int topicIndex) {
        Block[] bs = blocks;
        int b = roomFrom;
        while (b < bs.length && bs[b].count == CHUNK) {
            b++;
        }
        if (b == bs.length) {
            bs = Arrays.copyOf(bs, b + 1);
            bs[b] = new Block();
            blocks = bs;
        }
        roomFrom = b;
        s.slot(topicIndex, b * CHUNK + bs[b].put(s));
        size++;
    }

    synchronized void remove(Subscription s, int topicIndex) {
        int slot = s.slot(topicIndex);
        if (slot < 0) {
            return;
        }
        s.slot(topicIndex, -1);
        int b = slot / CHUNK;
        blocks[b].take(slot % CHUNK, s);
        roomFrom = Math.min(roomFrom, b);
        size--;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void signal() {
        Block[] bs = blocks;
        boolean inline = size <= INLINE;
        for (Block b : bs) {
            // Skipping an empty block misses no one: a subscription added meanwhile looks once after it joins.
            if (b.count > 0) {
                if (inline) {
                    b.tell();
                } else {
                    b.schedule();
                }
            }
        }
    }

    /** {@value #CHUNK} slots and the task that tells their subscriptions, queued at most once at a time. */
    private final class Block implements Runnable {
        private final AtomicReferenceArray<Subscription> slots = new AtomicReferenceArray<>(CHUNK);
        private final AtomicBoolean queued = new AtomicBoolean();
        /** Bit i set while slot i is taken. Guarded by the fan-out's lock. */
        private long used;
        /** Slots taken; written under the fan-out's lock. */
        private volatile int count;

        /** Takes the lowest free slot for {@code s}; there is one. */
        int put(Subscription s) {
            int i = Long.numberOfTrailingZeros(~used);
            used |= 1L << i;
            slots.set(i, s);
            count++;
            return i;
        }

        void take(int i, Subscription s) {
            if (slots.compareAndSet(i, s, null)) {
                used &= ~(1L << i);
                count--;
            }
        }

        void schedule() {
            if (!queued.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                // The container is stopping: tell them here rather than not at all.
                run();
            }
        }

        @Override
        public void run() {
            // Cleared before telling: a publish from here on queues the block again, so none is missed.
            queued.set(false);
            tell();
        }

        void tell() {
            for (int i = 0; i < CHUNK; i++) {
                Subscription s = slots.get(i);
                if (s == null) {
                    continue;
                }
                try {
                    s.signal();
                } catch (RuntimeException e) {
                    // One transport's bug must not keep the rest of the block from its messages.
                    LOG.warn("rtkit subscriber failed on signal", e);
                }
            }
        }
    }
}
