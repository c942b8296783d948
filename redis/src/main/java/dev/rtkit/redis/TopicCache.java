package dev.rtkit.redis;

import dev.rtkit.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One topic's recent messages on this node, in one epoch, with contiguous seqs: a message arriving beyond a hole
 * waits aside until the hole is filled (by pub/sub or by a re-read of the stream), so readers never skip one.
 * Bounded by count ({@code capacity}) and by the log's shared {@link ByteBudget}. Not thread-safe: its
 * {@link RedisTopic} serialises access.
 */
final class TopicCache {
    enum Offer { ADDED, DUPLICATE, HOLE, OTHER_EPOCH }

    private final Message[] ring;
    private final ByteBudget budget;
    private final TreeMap<Long, Message> early = new TreeMap<>();
    private int head;
    private int size;
    private String epoch;
    private long forgotten;
    private long last;

    TopicCache(int capacity, ByteBudget budget) {
        this.ring = new Message[capacity];
        this.budget = budget;
    }

    /** Null until the first sync. */
    String epoch() {
        return epoch;
    }

    long last() {
        return last;
    }

    long forgotten() {
        return forgotten;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** True while a message waits beyond a hole. */
    boolean hasHole() {
        return !early.isEmpty();
    }

    /** A message seen live (pub/sub or an append's reply). */
    Offer offer(Message m) {
        if (!m.id().epoch().equals(epoch)) {
            return Offer.OTHER_EPOCH;
        }
        long seq = m.id().seq();
        if (seq <= last) {
            return Offer.DUPLICATE;
        }
        if (seq > last + 1) {
            if (early.size() < ring.length) {
                early.put(seq, m);
            }
            return Offer.HOLE;
        }
        add(m);
        drainEarly();
        return Offer.ADDED;
    }

    /**
     * What Redis holds: {@code newest} are its newest entries, oldest first, {@code redisForgotten} the seq before its
     * oldest entry. A new epoch replaces everything; otherwise what is missing is added. True when readers must look.
     */
    boolean sync(String epoch, long redisLast, long redisForgotten, List<Message> newest) {
        boolean changed = false;
        if (!epoch.equals(this.epoch)) {
            clear();
            this.epoch = epoch;
            forgotten = redisForgotten;
            last = redisForgotten;
            changed = true;
        }
        for (Message m : newest) {
            long seq = m.id().seq();
            if (seq <= last) {
                continue;
            }
            if (seq > last + 1) {
                // Redis no longer holds what lies between: it is forgotten here too (readers get a gap).
                clearRing();
                forgotten = seq - 1;
                last = seq - 1;
            }
            add(m);
            changed = true;
        }
        if (redisLast > last) {
            clearRing();
            forgotten = redisLast;
            last = redisLast;
            changed = true;
        }
        drainEarly();
        return changed;
    }

    /**
     * True when {@code m} has the id of a message held here but is another message: Redis gave one id twice, so it
     * lost writes this node saw. A message no longer held cannot be compared.
     */
    boolean conflicts(Message m) {
        Message held = held(m.id().epoch(), m.id().seq());
        return held != null && (held.timestamp() != m.timestamp() || !held.data().equals(m.data()));
    }

    /** The message held with this id, or null (another epoch, not seen yet, or no longer held). */
    Message held(String epoch, long seq) {
        if (size == 0 || !epoch.equals(this.epoch) || seq > last || seq < at(0).id().seq()) {
            return null;
        }
        return at((int) (seq - at(0).id().seq()));
    }

    /** True when a message with this id was seen already (it is held, or was and is forgotten). */
    boolean seen(String epoch, long seq) {
        return epoch.equals(this.epoch) && seq <= last;
    }

    /**
     * True when what Redis holds of this epoch is behind what this node had seen when it asked ({@code lastAsked}),
     * or other than it.
     */
    boolean lostWrites(String redisEpoch, long redisLast, long lastAsked, List<Message> newest) {
        if (!redisEpoch.equals(epoch)) {
            return false;
        }
        if (redisLast < lastAsked) {
            return true;
        }
        for (Message m : newest) {
            if (conflicts(m)) {
                return true;
            }
        }
        return false;
    }

    /** Up to {@code max} messages with seq above {@code afterSeq}, oldest first. */
    List<Message> readAfter(long afterSeq, int max) {
        if (size == 0) {
            return List.of();
        }
        long first = at(0).id().seq();
        long start = Math.max(0, afterSeq + 1 - first);
        int n = (int) Math.max(0, Math.min(max, size - start));
        List<Message> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(at((int) start + i));
        }
        return out;
    }

    void expireBefore(long cutoff) {
        while (size > 0 && at(0).timestamp() < cutoff) {
            evictOldest();
        }
    }

    /** Forgets everything, giving its bytes back to the budget. */
    void clear() {
        clearRing();
        early.clear();
    }

    private void add(Message m) {
        if (size == ring.length) {
            evictOldest();
        }
        ring[(head + size) % ring.length] = m;
        size++;
        last = m.id().seq();
        budget.add(bytes(m));
        // Keep at least the newest message, so that a topic always shows its last one when the budget is tight.
        while (budget.exceeded() && size > 1) {
            evictOldest();
        }
    }

    private void drainEarly() {
        early.headMap(last, true).clear();
        Message next;
        while ((next = early.remove(last + 1)) != null) {
            add(next);
        }
    }

    private void clearRing() {
        while (size > 0) {
            evictOldest();
        }
    }

    private void evictOldest() {
        Message m = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        forgotten = m.id().seq();
        budget.add(-bytes(m));
    }

    private Message at(int i) {
        return ring[(head + i) % ring.length];
    }

    /** The payload and its canonical JSON (both held), plus what a message and its id cost. */
    static long bytes(Message m) {
        return 2L * m.data().length() + m.json().length + 160;
    }
}
