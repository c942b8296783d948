package dev.rtkit.redis;

import dev.rtkit.Message;
import dev.rtkit.MessageId;
import dev.rtkit.Payload;
import dev.rtkit.RtkitException;
import dev.rtkit.spi.TopicLog;
import io.lettuce.core.KeyValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic on Redis, seen from this node: appends go through append.lua; what any node appended reaches the
 * {@link TopicCache} by pub/sub. The channel is subscribed before the first read, and the stream is read again
 * (sync.lua) whenever the cache may have missed something: a hole in the seqs, a message of another epoch, a
 * (re)subscription, or a probe finding Redis ahead. Reads answer from the cache alone.
 */
final class RedisTopic implements TopicLog.Topic {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTopic.class);
    /** How long a hole may wait for its message on pub/sub (it may arrive after a later append's reply). */
    private static final long HOLE_GRACE_MILLIS = 50;

    private final String name;
    private final Keys keys;
    private final Context context;
    private final Runnable onAppend;
    private final Consumer<RedisTopic> releaser;
    private final TopicCache cache;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    // Guarded by this:
    private boolean syncing;
    private boolean syncAgain;
    private boolean stale;
    private boolean checkScheduled;
    private long behindSeen;
    private volatile boolean released;

    RedisTopic(String name, Context context, Runnable onAppend, Consumer<RedisTopic> releaser) {
        this.name = name;
        this.releaser = releaser;
        this.keys = Keys.of(name);
        this.context = context;
        this.onAppend = onAppend;
        this.cache = new TopicCache(context.limits().historySize(), context.budget());
    }

    /** Subscribes; the subscription's confirmation starts the first read (subscribed first: nothing falls between). */
    void start() {
        context.pubsub().subscribe(keys.channel()).whenComplete((ok, failure) -> {
            if (failure != null) {
                ready.completeExceptionally(failure);
            } else {
                sync();
            }
        });
    }

    /** Lettuce subscribed again after a reconnect: what was published meanwhile is only in the stream. */
    void resubscribed() {
        if (ready.isDone()) {
            sync();
        }
    }

    /** Waits for the first read; UNAVAILABLE when Redis does not answer in time. */
    void awaitReady() {
        try {
            ready.get(context.limits().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RedisTopicLog.unavailable();
        } catch (Exception e) {
            LOG.debug("topic {} not readable from Redis", name, e);
            throw RedisTopicLog.unavailable();
        }
    }

    boolean released() {
        return released;
    }

    String channel() {
        return keys.channel();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<Message> append(Payload payload, String event, long nowMillis) {
        Context.Limits limits = context.limits();
        String e = event == null ? "" : event;
        return Script.APPEND.run(context.redis(), keys.both(), Epochs.next(), Long.toString(nowMillis),
                Integer.toString(limits.historySize()), Long.toString(limits.maxAgeMillis()),
                Long.toString(limits.streamTtlMillis()), Long.toString(limits.metaTtlMillis()), keys.channel(),
                "PUBLISH", payload.json() ? "1" : "0", e, Integer.toString(e.length()), payload.data())
                .handleAsync((reply, failure) -> {
                    if (failure != null) {
                        LOG.debug("append to {} failed", name, failure);
                        throw RedisTopicLog.unavailable();
                    }
                    Message m = new Message(name, new MessageId((String) reply.get(0), number(reply.get(1))), event,
                            payload, number(reply.get(2)));
                    receive(m);
                    return m;
                }, context.callbacks());
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
        }
        if (schedule) {
            context.timer().schedule(this::syncIfBehind, HOLE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void syncIfBehind() {
        boolean behind;
        synchronized (this) {
            checkScheduled = false;
            behind = stale || cache.hasHole();
        }
        if (behind) {
            sync();
        }
    }

    /** Reads the topic's state and newest entries from Redis into the cache; one read at a time. */
    void sync() {
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
        }
        Script.SYNC.run(context.redis(), keys.both(), Epochs.next(), Integer.toString(context.limits().historySize()),
                Long.toString(context.limits().metaTtlMillis())).whenComplete((reply, error) -> {
                    Throwable failure = error;
                    boolean changed = false;
                    boolean again;
                    synchronized (this) {
                        syncing = false;
                        if (failure == null && !released) {
                            try {
                                changed = apply(reply);
                            } catch (RuntimeException e) {
                                failure = e; // a reply we cannot read: never leave a waiting open() hanging
                            }
                        }
                        if (failure != null) {
                            stale = true; // the probe tries again
                        }
                        again = syncAgain;
                        syncAgain = false;
                    }
                    if (failure == null) {
                        ready.complete(null);
                    } else {
                        LOG.debug("reading {} from Redis failed", name, failure);
                        ready.completeExceptionally(failure);
                    }
                    if (changed) {
                        onAppend.run();
                    }
                    if (again) {
                        sync();
                    }
                });
    }

    private boolean apply(List<Object> reply) {
        String epoch = (String) reply.get(0);
        long last = number(reply.get(1));
        String oldest = (String) reply.get(2);
        long forgotten = oldest.isEmpty() ? last : Entries.seqOf(oldest) - 1;
        List<Message> newest = Entries.oldestFirst(name, epoch, (List<?>) reply.get(3));
        // Entries past the age bound go at the hub's next expireBefore (once a second), as appended ones do.
        return cache.sync(epoch, last, forgotten, newest);
    }

    /**
     * Compares Redis's last seq and epoch with the cache's: the safety net for a pub/sub message lost on the way
     * (a quiet or reconnected subscription) and for data Redis lost while no one appended. Redis being ahead once is
     * normal (a message in flight); ahead of what it was at the previous probe, the cache missed it.
     */
    void probe() {
        if (released || !ready.isDone()) {
            return;
        }
        context.redis().hmget(keys.meta(), "epoch", "seq").whenComplete((values, failure) -> {
            if (failure != null) {
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
                sync();
            }
        });
    }

    @Override
    public String epoch() {
        synchronized (this) {
            return cache.epoch();
        }
    }

    @Override
    public long lastSeq() {
        synchronized (this) {
            return cache.last();
        }
    }

    @Override
    public TopicLog.Read readAfter(long afterSeq, int max) {
        synchronized (this) {
            return new TopicLog.Read(cache.epoch(), cache.readAfter(afterSeq, max), cache.forgotten(), cache.last());
        }
    }

    @Override
    public boolean isEmpty() {
        synchronized (this) {
            return cache.isEmpty();
        }
    }

    synchronized void expireBefore(long cutoff) {
        cache.expireBefore(cutoff);
    }

    @Override
    public void release() {
        releaser.accept(this);
    }

    /** Called by the log, under its map's lock for this name, so an unsubscribe never overtakes a re-open. */
    void releaseNow() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            cache.clear();
        }
        context.pubsub().unsubscribe(keys.channel());
    }

    private static long number(Object o) {
        return Long.parseLong(String.valueOf(o));
    }

    private static String value(KeyValue<String, String> kv) {
        return kv.getValueOrElse(null);
    }
}
