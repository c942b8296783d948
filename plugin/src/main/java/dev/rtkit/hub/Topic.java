package dev.rtkit.hub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A topic: its history and its live subscriptions. */
final class Topic {
    final String name;
    final History history;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private boolean removed;
    private volatile long lastActive;

    Topic(String name, History history, long now) {
        this.name = name;
        this.history = history;
        this.lastActive = now;
    }

    /** Appends, then tells every subscription; null when the topic was removed (the caller retries). */
    Message publish(String event, String data, boolean json, long now) {
        Message message;
        synchronized (this) {
            if (removed) {
                return null;
            }
            message = history.append(event, data, json, now);
        }
        lastActive = now;
        for (Subscription s : subscriptions) {
            s.signal();
        }
        return message;
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
        if (subscriptions.isEmpty() && history.isEmpty() && lastActive < idleSince) {
            removed = true;
        }
        return removed;
    }
}
