package dev.rtkit.internal.log;

import dev.rtkit.Message;
import dev.rtkit.MessageId;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One topic of the {@link MemoryLog}: a ring of the last {@code capacity} messages. */
final class RingTopic implements TopicLog.Topic {
    private final MemoryLog log;
    private final String name;
    private final Runnable onAppend;
    private final Message[] ring;
    private long appended;
    private long first;
    private long forgottenSeq;
    /** Written under the lock, read without it: a subscriber checks it before taking the lock. */
    private volatile long lastSeq;

    RingTopic(MemoryLog log, String name, Runnable onAppend, long startSeq, int capacity) {
        this.log = log;
        this.name = name;
        this.onAppend = onAppend;
        this.ring = new Message[capacity];
        this.forgottenSeq = startSeq;
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
            int slot = (int) (appended % ring.length);
            if (ring[slot] != null) {
                forgottenSeq = ring[slot].id().seq();
            }
            ring[slot] = message;
            appended++;
            first = Math.max(first, appended - ring.length);
            lastSeq = seq;
        }
        onAppend.run();
        return CompletableFuture.completedFuture(message);
    }

    @Override
    public String epoch() {
        return log.epoch();
    }

    @Override
    public synchronized TopicLog.Read readAfter(long afterSeq, int max) {
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
        return new TopicLog.Read(log.epoch(), out, forgottenSeq, lastSeq);
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    synchronized void expireBefore(long cutoff) {
        while (first < appended && at(first).timestamp() < cutoff) {
            forgottenSeq = at(first).id().seq();
            ring[(int) (first % ring.length)] = null;
            first++;
        }
    }

    @Override
    public synchronized boolean isEmpty() {
        return first == appended;
    }

    @Override
    public void release() {
        log.released(this);
    }

    private Message at(long index) {
        return ring[(int) (index % ring.length)];
    }
}
