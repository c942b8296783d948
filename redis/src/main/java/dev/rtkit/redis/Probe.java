package dev.rtkit.redis;

import dev.rtkit.spi.LogMonitor.Operation;
import dev.rtkit.spi.LogMonitor.Reread;
import io.lettuce.core.KeyValue;

/**
 * Compares Redis's last seq and epoch with the feed's cache, once a second: the safety net for a pub/sub message
 * lost on the way (a quiet or reconnected subscription) and for data Redis lost while no one appended. Redis being
 * ahead once is normal (a message in flight); ahead of what it was at the previous probe, the cache missed it.
 * Its state is guarded by the {@link TopicFeed}'s monitor.
 */
final class Probe {
    private final TopicFeed feed;
    private final Context context;
    private long behindSeen;

    Probe(TopicFeed feed, Context context) {
        this.feed = feed;
        this.context = context;
    }

    void run() {
        synchronized (feed) {
            if (feed.released || !feed.ready.isDone()) {
                return;
            }
        }
        context.redis().hmget(feed.keys.meta(), "epoch", "seq").whenComplete((values, failure) -> {
            if (failure != null) {
                context.monitor().failed(Operation.PROBE);
                return;
            }
            String epoch = value(values.get(0));
            String seq = value(values.get(1));
            boolean needed;
            synchronized (feed) {
                TopicCache cache = feed.cache;
                long last = cache.last();
                long redisSeq = seq == null ? 0 : Long.parseLong(seq);
                needed = feed.stale || cache.hasHole() || epoch == null || !epoch.equals(cache.epoch())
                        || (redisSeq > last && behindSeen > last);
                behindSeen = redisSeq > last ? redisSeq : 0;
            }
            if (needed) {
                feed.reads.sync(Reread.PROBE);
            }
        });
    }

    private static String value(KeyValue<String, String> kv) {
        return kv.getValueOrElse(null);
    }
}
