package dev.rtkit.redis;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link RedisTopicLog#open} of a topic: every open of a name shares its {@link RedisTopic} (one cache, one
 * channel), but each has its own callback and its own release, so the hub letting one go (a poll's transient read,
 * a topic opened twice in a race) never clears the cache another still reads, nor silences its callback.
 */
final class OpenedTopic implements TopicLog.Topic {
    final RedisTopic shared;
    private final Runnable onAppend;
    private final AtomicBoolean released = new AtomicBoolean();

    OpenedTopic(RedisTopic shared, Runnable onAppend) {
        this.shared = shared;
        this.onAppend = onAppend;
    }

    void signal() {
        if (!released.get()) {
            onAppend.run();
        }
    }

    @Override
    public String name() {
        return shared.name();
    }

    @Override
    public CompletionStage<Message> append(Payload payload, String event, long nowMillis) {
        return shared.append(payload, event, nowMillis);
    }

    @Override
    public String epoch() {
        return shared.epoch();
    }

    @Override
    public long lastSeq() {
        return shared.lastSeq();
    }

    @Override
    public TopicLog.Read readAfter(long afterSeq, int max) {
        return shared.readAfter(afterSeq, max);
    }

    @Override
    public boolean isEmpty() {
        return shared.isEmpty();
    }

    @Override
    public CompletionStage<Void> refresh() {
        return shared.refresh();
    }

    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            shared.release(this);
        }
    }
}
