package dev.rtkit.redis;

import dev.rtkit.spi.LogMonitor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every topic of one log shares: the command and pub/sub connections, the limits, a timer, the executor that
 * completes appends (off Lettuce's event loop, since the hub answers the publisher from there), the byte budget,
 * and the monitor that counts failed calls and re-reads.
 */
record Context(RedisClusterAsyncCommands<String, String> redis, Connections.Subscriptions pubsub,
        Limits limits, ScheduledExecutorService timer, Executor callbacks, ByteBudget budget,
        LogMonitor monitor) {

    /**
     * @param historySize    entries per topic, in Redis (MAXLEN) and in each node's cache
     * @param maxAgeMillis   age bound (MINID trimming, cache expiry)
     * @param streamTtlMillis a stream's TTL, refreshed at each append: it goes when its newest entry is too old
     * @param metaTtlMillis  the metadata's TTL (epoch and last seq), longer, so a late cursor gets "expired", not "epoch"
     * @param timeout        how long open() waits for the first subscribe and read
     */
    record Limits(int historySize, long maxAgeMillis, long streamTtlMillis, long metaTtlMillis, Duration timeout) {
    }
}
