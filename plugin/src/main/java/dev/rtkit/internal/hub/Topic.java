package dev.rtkit.internal.hub;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

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
    /**
     * Publishes being handed to the log right now, or {@link #REMOVED}. Publishers count themselves in and out
     * instead of taking the topic's monitor: a shared log's append dispatches a command, and a publisher preempted
     * there must not hold up the others (the monitor still orders subscribing against retiring).
     */
    private final AtomicInteger appending = new AtomicInteger();
    private static final int REMOVED = -1;
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

    /**
     * Appends through the log; null when the topic was removed or is being retired (the caller retries with the
     * table's topic of the name: this one again if it was not idle after all, else a fresh one).
     */
    CompletionStage<Message> publish(Payload payload, String event, long now) {
        int n;
        do {
            n = appending.get();
            if (n == REMOVED) {
                return null; // removed, or a retire is looking: see retireIfIdle
            }
        } while (!appending.compareAndSet(n, n + 1));
        try {
            lastActive = now;
            return log.append(payload, event, now);
        } finally {
            appending.decrementAndGet();
        }
    }

    void signal() {
        subscriptions.signal();
    }

    /** Adds {@code s}, of which this is the {@code topicIndex}-th topic; false when the topic was removed. */
    synchronized boolean add(Subscription s, int topicIndex) {
        if (appending.get() == REMOVED) {
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
        if (appending.get() == REMOVED) {
            return true;
        }
        if (!subscriptions.isEmpty() || lastActive >= idleSince || !appending.compareAndSet(0, REMOVED)) {
            return false;
        }
        // No publish can start now, and one that ended before has refreshed lastActive and handed the log its message.
        if (log.isEmpty() && lastActive < idleSince) {
            log.release();
            return true;
        }
        appending.set(0); // not idle after all: a publish that saw REMOVED meanwhile retries on this topic
        return false;
    }
}
