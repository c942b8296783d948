package dev.rtkit.redis;

import dev.rtkit.Message;
import dev.rtkit.MessageId;
import dev.rtkit.Payload;
import dev.rtkit.spi.LogMonitor.Reread;
import dev.rtkit.spi.TopicLog;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What this node knows of one topic, kept in step with Redis: messages seen live (pub/sub, append replies) go into
 * the {@link TopicCache}; the stream is read again ({@link StreamReads}) whenever the cache may have missed
 * something: a hole in the seqs, a message of another epoch, a (re)subscription, or the {@link Probe} finding Redis
 * ahead. Its monitor guards the cache and the state its parts share.
 */
final class TopicFeed {
    /** How long a hole may wait for its message on pub/sub (it may arrive after a later append's reply). */
    private static final long HOLE_GRACE_MILLIS = 50;

    final String name;
    final Keys keys;
    private final Context context;
    private final Runnable onAppend;
    final TopicCache cache;
    /** Completes at the first successful read: until then the topic has no epoch to show. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final RefreshWaiters waiters = new RefreshWaiters();
    final StreamReads reads;
    private final Probe probe;
    private final Rebase rebase;
    // Guarded by this:
    boolean released;
    /** The cache may be behind Redis (another epoch seen, a failed read): the next check or probe reads again. */
    boolean stale;
    private boolean checkScheduled;

    TopicFeed(String name, Keys keys, Context context, Runnable onAppend) {
        this.name = name;
        this.keys = keys;
        this.context = context;
        this.onAppend = onAppend;
        this.cache = new TopicCache(context.limits().historySize(), context.budget());
        this.reads = new StreamReads(this, context);
        this.probe = new Probe(this, context);
        this.rebase = new Rebase(name, keys, context, this::rebased);
    }

    /**
     * A pub/sub message. The echo of an append made here, already held from the script's reply, is only compared
     * with what is held (a header read and a payload compare), never built into a message again.
     */
    void receive(Entries.Published p) {
        Message held;
        synchronized (this) {
            if (released) {
                return;
            }
            if (!cache.seen(p.epoch(), p.seq())) {
                held = null;
            } else {
                held = cache.held(p.epoch(), p.seq());
                if (held == null) {
                    return; // seen and forgotten since: nothing to compare it with
                }
            }
        }
        if (held == null) {
            receive(p.message(name));
        } else if (!p.sameAs(held)) {
            rebase(p.epoch());
        }
    }

    /**
     * The reply to an append made here: the message, or the one held under its id when its pub/sub echo came first
     * (so it is built once).
     */
    Message appended(String epoch, long seq, long ms, String event, Payload payload) {
        synchronized (this) {
            Message held = released ? null : cache.held(epoch, seq);
            if (held != null && held.timestamp() == ms && Objects.equals(held.event(), event)
                    && held.isJson() == payload.json() && held.data().equals(payload.data())) {
                return held;
            }
        }
        Message m = new Message(name, new MessageId(epoch, seq), event, payload, ms);
        receive(m);
        return m;
    }

    /** A message seen live: from pub/sub, or the reply to an append here. */
    void receive(Message m) {
        TopicCache.Offer offer;
        boolean schedule = false;
        synchronized (this) {
            if (released) {
                return;
            }
            offer = cache.offer(m);
            if (offer == TopicCache.Offer.OTHER_EPOCH) {
                stale = true;
            }
            if ((offer == TopicCache.Offer.HOLE || offer == TopicCache.Offer.OTHER_EPOCH) && !checkScheduled) {
                checkScheduled = true; // one check per burst of out-of-order messages, not one per message
                schedule = true;
            }
        }
        if (offer == TopicCache.Offer.ADDED) {
            onAppend.run();
        } else if (offer == TopicCache.Offer.DUPLICATE && conflicts(m)) {
            rebase(m.id().epoch());
        }
        if (schedule) {
            context.timer().schedule(this::syncIfBehind, HOLE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void syncIfBehind() {
        Reread reason;
        synchronized (this) {
            checkScheduled = false;
            reason = cache.hasHole() ? Reread.HOLE : stale ? Reread.EPOCH : null;
        }
        if (reason != null) {
            reads.sync(reason);
        }
    }

    /** Reads the stream again; {@code reason} is counted, null for the first read. */
    void sync(Reread reason) {
        reads.sync(reason);
    }

    /**
     * Reads the stream again (or joins the read about to start); completes once this node's cache holds everything
     * Redis held at the call. A reader whose cursor is ahead of the cache waits for it before calling the cursor
     * unknown. While Redis is away, it completes after the first read that succeeds.
     */
    CompletableFuture<Void> refresh() {
        CompletableFuture<Void> read;
        synchronized (this) {
            if (released) {
                return CompletableFuture.completedFuture(null);
            }
            read = waiters.join();
        }
        reads.sync(Reread.CURSOR);
        return read;
    }

    void probe() {
        probe.run();
    }

    /** Redis gave ids of {@code lostEpoch} that this node had seen for other messages: see {@link Rebase}. */
    void rebase(String lostEpoch) {
        synchronized (this) {
            if (released) {
                return;
            }
        }
        rebase.start(lostEpoch);
    }

    private void rebased() {
        synchronized (this) {
            stale = true;
        }
        reads.sync(Reread.LOST_WRITES);
    }

    /** Readers must look: the cache took messages from a read. */
    void appended() {
        onAppend.run();
    }

    private synchronized boolean conflicts(Message m) {
        return cache.conflicts(m);
    }

    synchronized String epoch() {
        return cache.epoch();
    }

    synchronized long last() {
        return cache.last();
    }

    synchronized TopicLog.Read read(long afterSeq, int max) {
        return new TopicLog.Read(cache.epoch(), cache.readAfter(afterSeq, max), cache.forgotten(), cache.last());
    }

    synchronized boolean isEmpty() {
        return cache.isEmpty();
    }

    synchronized void expireBefore(long cutoff) {
        cache.expireBefore(cutoff);
    }

    synchronized boolean released() {
        return released;
    }

    /** Forgets everything; true the first time. */
    synchronized boolean release() {
        if (released) {
            return false;
        }
        released = true;
        cache.clear();
        waiters.releaseAll();
        return true;
    }
}
