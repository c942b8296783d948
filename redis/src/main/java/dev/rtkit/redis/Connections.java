package dev.rtkit.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The two connections a log holds, standalone ({@code redis://}: PUBLISH/SUBSCRIBE) or Redis Cluster
 * ({@code redis-cluster://}: sharded SPUBLISH/SSUBSCRIBE, so a topic's messages stay on its slot's shard).
 * Lettuce reconnects both and subscribes again; commands fail at once while disconnected.
 */
final class Connections {
    /** Where pub/sub lands: a message on a channel, and a (re)subscription confirmed. */
    interface Router {
        void message(String channel, String text);

        void subscribed(String channel);
    }

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> commands;
    private final StatefulConnection<String, String> pubsub;
    private final RedisClusterAsyncCommands<String, String> async;
    private final Subscriptions subscriptions;

    /** Subscribing to topic channels, and the command append.lua publishes with. */
    interface Subscriptions {
        CompletionStage<Void> subscribe(String channel);

        void unsubscribe(String channel);

        String publishCommand();
    }

    private Connections(AbstractRedisClient client, StatefulConnection<String, String> commands,
            StatefulConnection<String, String> pubsub, RedisClusterAsyncCommands<String, String> async,
            Subscriptions subscriptions) {
        this.client = client;
        this.commands = commands;
        this.pubsub = pubsub;
        this.async = async;
        this.subscriptions = subscriptions;
    }

    static Connections open(RedisURI uri, boolean cluster, ClientResources resources, Duration timeout, Router router) {
        return cluster ? cluster(uri, resources, timeout, router) : standalone(uri, resources, timeout, router);
    }

    private static Connections standalone(RedisURI uri, ClientResources resources, Duration timeout, Router router) {
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(options(ClientOptions.builder(), timeout)
                // Fail at once while disconnected (the publisher gets a 503) instead of waiting for the timeout.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        try {
            StatefulRedisConnection<String, String> commands = client.connect();
            StatefulRedisPubSubConnection<String, String> pubsub = client.connectPubSub();
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    router.message(channel, message);
                }

                @Override
                public void subscribed(String channel, long count) {
                    router.subscribed(channel);
                }
            });
            return new Connections(client, commands, pubsub, commands.async(), new Subscriptions() {
                @Override
                public CompletionStage<Void> subscribe(String channel) {
                    return pubsub.async().subscribe(channel);
                }

                @Override
                public void unsubscribe(String channel) {
                    pubsub.async().unsubscribe(channel);
                }

                @Override
                public String publishCommand() {
                    return "PUBLISH";
                }
            });
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw e;
        }
    }

    private static Connections cluster(RedisURI uri, ClientResources resources, Duration timeout, Router router) {
        RedisClusterClient client = RedisClusterClient.create(resources, uri);
        ClusterClientOptions.Builder builder = ClusterClientOptions.builder();
        // Connections to each shard open on first use: commands must wait for them (bounded by the timeout and the
        // request queue), so while a shard is away a publish answers 503 after the timeout, not at once.
        options(builder, timeout).disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
        client.setOptions(builder.build());
        try {
            StatefulRedisClusterConnection<String, String> commands = client.connect();
            StatefulRedisClusterPubSubConnection<String, String> pubsub = client.connectPubSub();
            pubsub.addListener(new RedisClusterPubSubAdapter<>() {
                @Override
                public void smessage(RedisClusterNode node, String channel, String message) {
                    router.message(channel, message);
                }

                @Override
                public void ssubscribed(RedisClusterNode node, String channel, long count) {
                    router.subscribed(channel);
                }
            });
            return new Connections(client, commands, pubsub, commands.async(), new Subscriptions() {
                @Override
                public CompletionStage<Void> subscribe(String channel) {
                    return pubsub.async().ssubscribe(channel);
                }

                @Override
                public void unsubscribe(String channel) {
                    pubsub.async().sunsubscribe(channel);
                }

                @Override
                public String publishCommand() {
                    return "SPUBLISH";
                }
            });
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw e;
        }
    }

    private static <B extends ClientOptions.Builder> B options(B builder, Duration timeout) {
        builder.autoReconnect(true)
                .requestQueueSize(65_536)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build());
        return builder;
    }

    RedisClusterAsyncCommands<String, String> commands() {
        return async;
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    void close() {
        pubsub.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
