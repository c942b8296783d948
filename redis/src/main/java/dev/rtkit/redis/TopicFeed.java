package dev.rtkit.redis;

import dev.rtkit.Message;
import dev.rtkit.spi.LogMonitor.Operation;
import dev.rtkit.spi.LogMonitor.Reread;
import dev.rtkit.spi.TopicLog;
import io.lettuce.core.KeyValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node knows of one topic, kept in step with Redis: messages seen live (pub/sub, append replies) go into
 * the {@link TopicCache}; the stream is read again (sync.lua) whenever the cache may have missed something: a hole
 * in the seqs, a message of another epoch, a (re)subscription, or a probe finding Redis ahead.
 */
final class TopicFeed {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
    /** How long a hole may wait for its message on pub/sub (it may arrive after a later append's reply). */
    private static final long HOLE_GRACE_MILLIS = 50;

    private final String name;
    private final Keys keys;
    private final Context context;
    private final Runnable onAppend;
    private final TopicCache cache;
    /** Completes at the first successful read: until then the topic has no epoch to show. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    // Guarded by this:
    private boolean syncing;
    private boolean syncAgain;
    private boolean stale;
    private boolean checkScheduled;
    private long behindSeen;
    private boolean released;
    /** Completes at the end of the next read that starts from now on: what {@link #refresh()} callers wait for. */
    private CompletableFuture<Void> nextRead;
    private boolean rebasing;
    private String lostEpoch;

    TopicFeed(String name, Keys keys, Context context, Runnable onAppend) {
        this.name = name;
        this.keys = keys;
        this.context = context;
        this.onAppend = onAppend;
        this.cache = new TopicCache(context.limits().historySize(), context.budget());
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
            sync(reason);
        }
    }

    /**
     * Reads the topic's state and newest entries from Redis into the cache; one read at a time. {@code reason} says
     * why it is read again (counted), null for the first read.
     */
    void sync(Reread reason) {
        if (reason != null) {
            context.monitor().reread(reason);
        }
        CompletableFuture<Void> waiting;
        String epochAsked;
        long lastAsked;
        synchronized (this) {
            if (released) {
                return;
            }
            if (syncing) {
                syncAgain = true;
                return;
            }
            syncing = true;
            stale = false;
            waiting = nextRead;
            nextRead = null;
            // What this node had seen when it asked: Redis held all of it then. Seen since, by pub/sub (another
            // connection), may be newer than this read's answer, and is no sign of loss.
            epochAsked = cache.epoch();
            lastAsked = cache.last();
        }
        Script.SYNC.run(context.redis(), keys.both(), Epochs.next(), Integer.toString(context.limits().historySize()),
                Long.toString(context.limits().metaTtlMillis())).whenComplete((reply, error) -> {
                    Throwable failure = error;
                    boolean changed = false;
                    boolean again;
                    String lost;
                    synchronized (this) {
                        syncing = false;
                        if (failure == null && !released) {
                            try {
                                changed = apply(reply, epochAsked, lastAsked);
                            } catch (RuntimeException e) {
                                failure = e; // a reply we cannot read: never leave a waiting open() hanging
                            }
                        }
                        if (failure != null) {
                            stale = true; // the probe tries again
                            waitForNextRead(waiting);
                        }
                        again = syncAgain;
                        syncAgain = false;
                        lost = lostEpoch;
                        lostEpoch = null;
                    }
                    if (failure == null) {
                        ready.complete(null);
                    } else {
                        LOG.debug("reading {} from Redis failed", name, failure);
                        context.monitor().failed(Operation.READ);
                        ready.completeExceptionally(failure);
                    }
                    if (lost != null) {
                        rebase(lost);
                    }
                    if (changed) {
                        onAppend.run();
                    }
                    if (failure == null && waiting != null) {
                        waiting.complete(null);
                    }
                    if (again) {
                        sync(null); // counted when asked for
                    }
                });
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
            if (nextRead == null) {
                nextRead = new CompletableFuture<>();
            }
            read = nextRead;
        }
        sync(Reread.CURSOR);
        return read;
    }

    /** A read failed: those waiting for it wait for the next one instead. Called holding this. */
    private void waitForNextRead(CompletableFuture<Void> waiting) {
        if (waiting == null) {
            return;
        }
        if (nextRead == null) {
            nextRead = waiting;
        } else {
            nextRead.thenRun(() -> waiting.complete(null));
        }
    }

    private synchronized boolean conflicts(Message m) {
        return cache.conflicts(m);
    }

    /**
     * Redis gave ids of this epoch that this node had seen for other messages: it lost writes (a failover, a restart
     * without fsync). Numbering must not silently go on over them, so the topic takes a new epoch (once, whichever
     * node notices first) and every reader is told by a gap; then the stream is read again.
     */
    private void rebase(String lostEpoch) {
        synchronized (this) {
            if (rebasing || released) {
                return;
            }
            rebasing = true;
        }
        LOG.warn("Redis gave ids of topic {} twice (it lost writes this node saw): a new epoch starts, readers are told by a gap", name);
        Script.REBASE.run(context.redis(), keys.both(), lostEpoch, Epochs.next()).whenComplete((epoch, failure) -> {
            synchronized (this) {
                rebasing = false;
                stale = true;
            }
            if (failure != null) {
                context.monitor().failed(Operation.READ);
            }
            sync(Reread.LOST_WRITES);
        });
    }

    /** Applies a sync.lua reply; {@code lostEpoch} is set instead when it shows Redis lost writes of this epoch. */
    private boolean apply(List<Object> reply, String epochAsked, long lastAsked) {
        String epoch = (String) reply.get(0);
        long last = number(reply.get(1));
        String oldest = (String) reply.get(2);
        long forgotten = oldest.isEmpty() ? last : Entries.seqOf(oldest) - 1;
        List<Message> newest = Entries.oldestFirst(name, epoch, (List<?>) reply.get(3));
        if (epoch.equals(epochAsked) && cache.lostWrites(epoch, last, lastAsked, newest)) {
            lostEpoch = epoch;
            return false;
        }
        // Entries past the age bound go at the hub's next expireBefore (once a second), as appended ones do.
        return cache.sync(epoch, last, forgotten, newest);
    }

    /**
     * Compares Redis's last seq and epoch with the cache's: the safety net for a pub/sub message lost on the way
     * (a quiet or reconnected subscription) and for data Redis lost while no one appended. Redis being ahead once is
     * normal (a message in flight); ahead of what it was at the previous probe, the cache missed it.
     */
    void probe() {
        synchronized (this) {
            if (released || !ready.isDone()) {
                return;
            }
        }
        context.redis().hmget(keys.meta(), "epoch", "seq").whenComplete((values, failure) -> {
            if (failure != null) {
                context.monitor().failed(Operation.PROBE);
                return;
            }
            String epoch = value(values.get(0));
            String seq = value(values.get(1));
            boolean needed;
            synchronized (this) {
                long last = cache.last();
                long redisSeq = seq == null ? 0 : Long.parseLong(seq);
                needed = stale || cache.hasHole() || epoch == null || !epoch.equals(cache.epoch())
                        || (redisSeq > last && behindSeen > last);
                behindSeen = redisSeq > last ? redisSeq : 0;
            }
            if (needed) {
                sync(Reread.PROBE);
            }
        });
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
        if (nextRead != null) {
            nextRead.complete(null);
        }
        return true;
    }

    static long number(Object o) {
        return Long.parseLong(String.valueOf(o));
    }

    private static String value(KeyValue<String, String> kv) {
        return kv.getValueOrElse(null);
    }
}
