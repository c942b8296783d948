package dev.rtkit.internal.log;

import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default log: each topic a bounded ring in this JVM's heap. One epoch for the whole log (base-36 start time,
 * so a cursor from before a restart is recognised) and one seq counter: a topic dropped when idle and made again
 * continues the numbering, so a position never names two messages.
 */
public final class MemoryLog implements TopicLog {
    /** The init-param value choosing this log. */
    public static final String NAME = "memory";

    private final TopicLogFactory.Options options;
    private final String epoch = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong seqs = new AtomicLong();
    private final Map<RingTopic, Boolean> topics = new ConcurrentHashMap<>();

    public MemoryLog(TopicLogFactory.Options options) {
        this.options = options;
    }

    @Override
    public Topic open(String name, Runnable onAppend) {
        RingTopic topic = new RingTopic(this, name, onAppend, seqs.get(), options.historySize());
        topics.put(topic, Boolean.TRUE);
        return topic;
    }

    String epoch() {
        return epoch;
    }

    long nextSeq() {
        return seqs.incrementAndGet();
    }

    void released(RingTopic topic) {
        topics.remove(topic);
    }

    @Override
    public void expireBefore(long cutoffMillis) {
        for (RingTopic t : topics.keySet()) {
            t.expireBefore(cutoffMillis);
        }
    }
}
