package dev.rtkit.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** The in-memory history: a ring of the last {@code capacity} messages. */
final class RingHistory implements History {
    private final String topic;
    private final String epoch;
    private final LongSupplier seqs;
    private final Message[] ring;
    private long appended;
    private long first;
    private long forgottenSeq;
    /** Written under the lock, read without it: a subscriber checks it before taking the lock. */
    private volatile long lastSeq;

    RingHistory(String topic, String epoch, LongSupplier seqs, long createdAt, int capacity) {
        this.topic = topic;
        this.epoch = epoch;
        this.seqs = seqs;
        this.ring = new Message[capacity];
        this.forgottenSeq = createdAt;
        this.lastSeq = createdAt;
    }

    @Override
    public synchronized Message append(String event, String data, boolean json, long now) {
        // Seq is taken under the topic's lock, so seqs increase in append order within the topic.
        long seq = seqs.getAsLong();
        Message message = new Message(topic, new MessageId(epoch, seq), event, data, json, now);
        int slot = (int) (appended % ring.length);
        if (ring[slot] != null) {
            forgottenSeq = ring[slot].id().seq();
        }
        ring[slot] = message;
        appended++;
        first = Math.max(first, appended - ring.length);
        lastSeq = seq;
        return message;
    }

    @Override
    public synchronized Read readAfter(long afterSeq, int max) {
        long lo = first;
        long hi = appended;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (at(mid).id().seq() <= afterSeq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int n = (int) Math.min(max, appended - lo);
        List<Message> out = new ArrayList<>(n);
        for (long i = lo; i < lo + n; i++) {
            out.add(at(i));
        }
        return new Read(out, forgottenSeq, lastSeq);
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public synchronized void expireBefore(long cutoff) {
        while (first < appended && at(first).timestamp < cutoff) {
            forgottenSeq = at(first).id().seq();
            ring[(int) (first % ring.length)] = null;
            first++;
        }
    }

    @Override
    public synchronized boolean isEmpty() {
        return first == appended;
    }

    private Message at(long index) {
        return ring[(int) (index % ring.length)];
    }
}
