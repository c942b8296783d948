package dev.rtkit.internal.hub;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A topic: its log and its live subscriptions. The log tells it when something became readable. A transient
 * topic serves one poll of a name the hub does not hold: it takes no place in the topic table and lets its log
 * go when the poll is done.
 */
final class Topic {
    final String name;
    final TopicLog.Topic log;
    /** The client address that made it (counted in {@link TopicQuota}), or null. */
    final String creator;
    /** Set for a transient topic: how the hub lets its log go (a shared log may hand the same one to a real topic). */
    private final java.util.function.Consumer<Topic> transientDone;
    private final FanOut subscriptions;
    private boolean removed;
    private volatile long lastActive;

    Topic(String name, TopicLog log, long now, String creator, Executor fanOut) {
        this(name, log, now, creator, fanOut, null, null);
    }

    /**
     * A transient topic: {@code onAppend} reaches whichever real topic of the name the hub holds later, since a
     * shared log (one log topic per name) keeps the first opener's callback.
     */
    static Topic transientRead(String name, TopicLog log, Runnable onAppend, java.util.function.Consumer<Topic> done) {
        // Never told of anything itself: its one poll reads, and the held topic of the name signals.
        return new Topic(name, log, System.currentTimeMillis(), null, Runnable::run, onAppend, done);
    }

    private Topic(String name, TopicLog log, long now, String creator, Executor fanOut, Runnable onAppend,
                  java.util.function.Consumer<Topic> done) {
        this.name = name;
        this.subscriptions = new FanOut(fanOut);
        this.creator = creator;
        this.transientDone = done;
        this.log = log.open(name, onAppend != null ? onAppend : this::signal);
        this.lastActive = now;
    }

    /** Appends through the log; null when the topic was removed (the caller retries with a fresh one). */
    CompletionStage<Message> publish(Payload payload, String event, long now) {
        synchronized (this) {
            if (removed) {
                return null;
            }
            lastActive = now;
            return log.append(payload, event, now);
        }
    }

    void signal() {
        subscriptions.signal();
    }

    /** Adds {@code s}, of which this is the {@code topicIndex}-th topic; false when the topic was removed. */
    synchronized boolean add(Subscription s, int topicIndex) {
        if (removed) {
            return false;
        }
        subscriptions.add(s, topicIndex);
        return true;
    }

    void remove(Subscription s, int topicIndex) {
        if (transientDone != null) {
            transientDone.accept(this);
            return;
        }
        subscriptions.remove(s, topicIndex);
        lastActive = System.currentTimeMillis();
    }

    /** Marks the topic removed when nothing refers to it; the caller then drops it from the registry. */
    synchronized boolean retireIfIdle(long idleSince) {
        if (!removed && subscriptions.isEmpty() && log.isEmpty() && lastActive < idleSince) {
            removed = true;
            log.release();
        }
        return removed;
    }
}
