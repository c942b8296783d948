package dev.rtkit.internal.log;

import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default log: each topic a bounded ring in this JVM's heap. One epoch for the whole log (base-36 start time,
 * so a cursor from before a restart is recognised) and one seq counter: a topic dropped when idle and made again
 * continues the numbering, so a position never names two messages. Past {@code historyMaxBytes} in total the
 * oldest messages of all topics are forgotten first (see {@link ByteBudget}); publishing never stops for it.
 */
public final class MemoryLog implements TopicLog {
    /** The init-param value choosing this log. */
    public static final String NAME = "memory";

    private final TopicLogFactory.Options options;
    private final String epoch = Long.toString(System.currentTimeMillis(), 36);
    private final AtomicLong seqs = new AtomicLong();
    private final Map<RingTopic, Boolean> topics = new ConcurrentHashMap<>();
    private final ByteBudget budget;
    private final DroppedTopics dropped = new DroppedTopics();

    public MemoryLog(TopicLogFactory.Options options) {
        this.options = options;
        this.budget = new ByteBudget(options.historyMaxBytes());
    }

    @Override
    public Topic open(String name, Runnable onAppend) {
        RingTopic topic = new RingTopic(this, name, onAppend, seqs.get(), dropped.forgottenSeq(name), options.historySize());
        topics.put(topic, Boolean.TRUE);
        return topic;
    }

    String epoch() {
        return epoch;
    }

    ByteBudget budget() {
        return budget;
    }

    long nextSeq() {
        return seqs.incrementAndGet();
    }

    void released(RingTopic topic) {
        topics.remove(topic);
        dropped.remember(topic.name(), topic.forgottenSeq());
    }

    @Override
    public void expireBefore(long cutoffMillis) {
        for (RingTopic t : topics.keySet()) {
            t.expireBefore(cutoffMillis);
        }
        budget.enforce();
    }

    /**
     * Bytes counted against {@code historyMaxBytes}: estimated payloads, encodings and bookkeeping, including
     * messages forgotten by the count or age bound whose share is reclaimed once older messages went.
     */
    @Override
    public long retainedBytes() {
        return budget.counted();
    }
}
