package dev.rtkit.redis;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.LogMonitor;
import dev.rtkit.spi.TopicLog;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic on Redis, seen from this node: appends go through append.lua (and come back by pub/sub to every node);
 * reads answer from the topic's {@link TopicFeed} alone. The channel is subscribed before the first read, so
 * nothing appended in between is missed. Each open of the name is an {@link OpenedTopic}; the topic is let go when
 * the last of them is.
 */
final class RedisTopic {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTopic.class);

    private final String name;
    private final Keys keys;
    private final Context context;
    private final Consumer<OpenedTopic> releaser;
    private final TopicFeed feed;
    private final AppendArgs appendArgs;
    /** The opens not released yet; changed only under the log's map lock for this name. */
    private final Set<OpenedTopic> opens = ConcurrentHashMap.newKeySet();

    RedisTopic(String name, Context context, Consumer<OpenedTopic> releaser) {
        this.name = name;
        this.keys = Keys.of(name);
        this.context = context;
        this.releaser = releaser;
        this.feed = new TopicFeed(name, keys, context, this::signal);
        this.appendArgs = new AppendArgs(context);
    }

    /** append.lua's arguments that are the same at every append, as Redis reads them. */
    private record AppendArgs(String historySize, String maxAge, String streamTtl, String metaTtl, String publish) {
        AppendArgs(Context context) {
            this(Integer.toString(context.limits().historySize()), Long.toString(context.limits().maxAgeMillis()),
                    Long.toString(context.limits().streamTtlMillis()), Long.toString(context.limits().metaTtlMillis()),
                    context.pubsub().publishCommand());
        }
    }

    private void signal() {
        for (OpenedTopic o : opens) {
            o.signal();
        }
    }

    /** One more open of this topic, told of appends through {@code onAppend}. */
    OpenedTopic open(Runnable onAppend) {
        OpenedTopic o = new OpenedTopic(this, onAppend);
        opens.add(o);
        return o;
    }

    /** Forgets one open; true when it was the last. */
    boolean close(OpenedTopic o) {
        opens.remove(o);
        return opens.isEmpty();
    }

    /** Subscribes; the subscription's confirmation starts the first read. */
    void start() {
        context.pubsub().subscribe(keys.channel()).whenComplete((ok, failure) -> {
            if (failure != null) {
                context.monitor().failed(LogMonitor.Operation.SUBSCRIBE);
                feed.ready.completeExceptionally(failure);
            } else {
                feed.sync(null);
            }
        });
    }

    /** Lettuce subscribed again after a reconnect: what was published meanwhile is only in the stream. */
    void resubscribed() {
        if (feed.ready.isDone()) {
            feed.sync(LogMonitor.Reread.RECONNECT);
        }
    }

    /** Waits for the first read; UNAVAILABLE when Redis does not answer in time. */
    void awaitReady() {
        try {
            feed.ready.get(context.limits().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RedisTopicLog.unavailable();
        } catch (Exception e) {
            LOG.debug("topic {} not readable from Redis", name, e);
            throw RedisTopicLog.unavailable();
        }
    }

    void receive(Entries.Published p) {
        feed.receive(p);
    }

    void probe() {
        feed.probe();
    }

    void expireBefore(long cutoff) {
        feed.expireBefore(cutoff);
    }

    boolean released() {
        return feed.released();
    }

    String name() {
        return name;
    }

    CompletionStage<Message> append(Payload payload, String event, long nowMillis) {
        String e = event == null ? "" : event;
        return Script.APPEND.run(context.redis(), keys.both(), Epochs.next(), Long.toString(nowMillis),
                appendArgs.historySize(), appendArgs.maxAge(), appendArgs.streamTtl(), appendArgs.metaTtl(), keys.channel(),
                appendArgs.publish(), payload.json() ? "1" : "0", e, Integer.toString(e.length()), payload.data())
                .handleAsync((reply, failure) -> {
                    if (failure != null) {
                        LOG.debug("append to {} failed", name, failure);
                        context.monitor().failed(LogMonitor.Operation.APPEND);
                        throw RedisTopicLog.unavailable();
                    }
                    return feed.appended((String) reply.get(0), number(reply.get(1)), number(reply.get(2)), event, payload);
                }, context.callbacks());
    }

    private static long number(Object o) {
        return Long.parseLong(String.valueOf(o));
    }

    String epoch() {
        return feed.epoch();
    }

    long lastSeq() {
        return feed.last();
    }

    TopicLog.Read readAfter(long afterSeq, int max) {
        return feed.read(afterSeq, max);
    }

    boolean isEmpty() {
        return feed.isEmpty();
    }

    CompletionStage<Void> refresh() {
        return feed.refresh();
    }

    void release(OpenedTopic o) {
        releaser.accept(o);
    }

    /** Called by the log, under its map's lock for this name, so an unsubscribe never overtakes a re-open. */
    void releaseNow() {
        if (feed.release()) {
            context.pubsub().unsubscribe(keys.channel());
        }
    }
}
