package dev.rtkit.internal.hub;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A topic: its log and its live subscriptions. The log tells it when something became readable. */
final class Topic {
    final String name;
    final TopicLog.Topic log;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private boolean removed;
    private volatile long lastActive;

    Topic(String name, TopicLog log, long now) {
        this.name = name;
        this.log = log.open(name, this::signal);
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

    private void signal() {
        for (Subscription s : subscriptions) {
            s.signal();
        }
    }

    synchronized boolean add(Subscription s) {
        if (removed) {
            return false;
        }
        subscriptions.add(s);
        return true;
    }

    void remove(Subscription s) {
        subscriptions.remove(s);
        lastActive = System.currentTimeMillis();
    }

    int subscriptionCount() {
        return subscriptions.size();
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
