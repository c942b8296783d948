package dev.rtkit.internal.hub;

import dev.rtkit.RtkitException;
import dev.rtkit.spi.TopicLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The topics the hub holds: made by a publish or a live subscription (counted per address), never by a poll;
 * bounded in total; empty idle topics give way.
 */
final class TopicTable {
    private final HubConfig config;
    private final TopicLog log;
    private final Executor fanOut;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final TopicQuota quota;
    private final AtomicLong lastReclaim = new AtomicLong();

    TopicTable(HubConfig config, TopicLog log, Executor fanOut) {
        this.config = config;
        this.log = log;
        this.fanOut = fanOut;
        this.quota = new TopicQuota(config.maxTopicsPerAddress());
    }

    int size() {
        return topics.size();
    }

    /** The topic of {@code name}, or null when the table does not hold it. */
    Topic existing(String name) {
        return topics.get(name);
    }

    /** The topic of {@code name} when held; else one for a single read that takes no place in the table. */
    Topic existingOrTransient(String name) {
        Topic t = topics.get(name);
        return t != null ? t : Topic.transientRead(name, log, () -> signalHeld(name), this::transientDone);
    }

    private void signalHeld(String name) {
        Topic held = topics.get(name);
        if (held != null) {
            held.signal();
        }
    }

    /** Lets a transient topic's log go: every open is released once (a shared log counts its opens of a name). */
    private void transientDone(Topic done) {
        done.log.release();
    }

    /** The topic of {@code name}, made now (counted for {@code address}) when not held. */
    Topic topic(String name, String address) {
        Topic t = topics.get(name);
        if (t != null) {
            return t;
        }
        long now = System.currentTimeMillis();
        if (topics.size() >= config.maxTopics() && !reclaimEmpty(now)) {
            throw new RtkitException(RtkitException.Kind.LIMIT, "too many topics: the server holds at most " + config.maxTopics());
        }
        if (!quota.tryTake(address)) {
            throw new RtkitException(RtkitException.Kind.LIMIT,
                    "too many topics made from your address: at most " + quota.perAddress() + " at once");
        }
        // Opened outside the map's lock: a shared log reads the topic's head over the network when it opens one.
        Topic fresh;
        Topic raced;
        try {
            fresh = new Topic(name, log, now, address, fanOut);
            raced = topics.putIfAbsent(name, fresh);
        } catch (RuntimeException e) {
            quota.giveBack(address);
            throw e;
        }
        if (raced != null) {
            quota.giveBack(address);
            fresh.log.release();
            return raced;
        }
        return fresh;
    }

    /**
     * The table is full: empty topics nobody subscribes to give way at once rather than after the idle minute.
     * The scan runs at most ten times a second, so a full table of busy topics costs little to refuse from.
     */
    private boolean reclaimEmpty(long now) {
        long last = lastReclaim.get();
        if (now - last >= 100 && lastReclaim.compareAndSet(last, now)) {
            retireIdle(now + 1);
        }
        return topics.size() < config.maxTopics();
    }

    void retireIdle(long idleSince) {
        for (Topic t : topics.values()) {
            if (t.retireIfIdle(idleSince) && topics.remove(t.name, t)) {
                quota.giveBack(t.creator);
            }
        }
    }
}
