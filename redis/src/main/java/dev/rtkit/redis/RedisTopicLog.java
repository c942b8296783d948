package dev.rtkit.redis;

import dev.rtkit.RtkitException;
import dev.rtkit.spi.LogMonitor;
import dev.rtkit.spi.TopicLog;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic log on Redis Streams: one command connection (appends and reads, pipelined), one pub/sub connection
 * (every open topic's channel), a cache per open topic, and a probe once a second. Lettuce reconnects both
 * connections; while Redis is away, appends fail at once (UNAVAILABLE: the publisher gets a 503) and readers keep
 * what the caches hold.
 */
final class RedisTopicLog implements TopicLog {
    private static final Logger LOG = LoggerFactory.getLogger(RedisTopicLog.class);
    private static final long PROBE_MILLIS = 1000;

    private final ClientResources resources;
    private final Connections connections;
    private final ScheduledExecutorService timer;
    private final ExecutorService callbacks;
    private final Context context;
    private final ConcurrentMap<String, RedisTopic> topics = new ConcurrentHashMap<>();

    RedisTopicLog(RedisURI uri, boolean cluster, Context.Limits limits, long maxBytes, LogMonitor monitor) {
        // Reconnect attempts back off to 500 ms at most (Lettuce's default: 30 s): a node refuses new topics until
        // it is reconnected, so it should be within half a second of Redis returning; an attempt is one TCP connect.
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(() -> Delay.equalJitter(Duration.ofMillis(50), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
                .build();
        timer = Executors.newSingleThreadScheduledExecutor(daemon("rtkit-redis-timer"));
        callbacks = Executors.newSingleThreadExecutor(daemon("rtkit-redis-callbacks"));
        try {
            connections = Connections.open(uri, cluster, resources, limits.timeout(), new Router());
        } catch (RuntimeException e) {
            shutdown();
            throw new IllegalStateException("rtkit: cannot reach Redis at " + uri.getHost() + ":" + uri.getPort()
                    + " (init-param log): " + e.getMessage(), e);
        }
        context = new Context(connections.commands(), connections.subscriptions(), limits, timer, callbacks,
                new ByteBudget(maxBytes), monitor);
        timer.scheduleWithFixedDelay(this::probe, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public Topic open(String name, Runnable onAppend) {
        OpenedTopic[] opened = new OpenedTopic[1];
        topics.compute(name, (n, held) -> {
            RedisTopic topic = held != null && !held.released() ? held : new RedisTopic(n, context, this::release);
            opened[0] = topic.open(onAppend);
            if (topic != held) {
                topic.start();
            }
            return topic;
        });
        try {
            opened[0].shared.awaitReady();
        } catch (RtkitException e) {
            opened[0].release();
            throw e;
        }
        return opened[0];
    }

    /** Lets one open go; the topic (cache, channel) goes with the last one. */
    void release(OpenedTopic opened) {
        RedisTopic topic = opened.shared;
        topics.compute(topic.name(), (n, held) -> {
            if (topic.close(opened)) {
                topic.releaseNow();
                return held == topic ? null : held;
            }
            return held;
        });
    }

    @Override
    public void expireBefore(long cutoffMillis) {
        topics.values().forEach(t -> t.expireBefore(cutoffMillis));
    }

    @Override
    public long retainedBytes() {
        return context.budget().used();
    }

    @Override
    public void close() {
        topics.values().forEach(RedisTopic::releaseNow);
        topics.clear();
        connections.close();
        shutdown();
    }

    private void shutdown() {
        timer.shutdownNow();
        callbacks.shutdownNow();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private void probe() {
        try {
            topics.values().forEach(RedisTopic::probe);
        } catch (RuntimeException e) {
            LOG.warn("probing Redis failed", e);
        }
    }

    static RtkitException unavailable() {
        return new RtkitException(RtkitException.Kind.UNAVAILABLE, "the message log (Redis) is unavailable: try again later");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Routes pub/sub to topics; a (re)subscription means messages may have been missed: read the stream. */
    private final class Router implements Connections.Router {
        @Override
        public void message(String channel, String text) {
            RedisTopic topic = topicFor(channel);
            Entries.Published p = topic == null ? null : Entries.Published.parse(text);
            if (p != null) {
                topic.receive(p);
            }
        }

        @Override
        public void subscribed(String channel) {
            RedisTopic topic = topicFor(channel);
            if (topic != null) {
                topic.resubscribed();
            }
        }

        private RedisTopic topicFor(String channel) {
            String name = Keys.topicOf(channel);
            return name == null ? null : topics.get(name);
        }
    }
}
