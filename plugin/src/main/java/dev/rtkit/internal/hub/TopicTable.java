package dev.rtkit.internal.hub;

import dev.rtkit.RtkitException;
import dev.rtkit.spi.TopicLog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The topics the hub holds: made by a publish or a live subscription (counted per address), never by a poll;
 * bounded in total; empty idle topics give way.
 */
final class TopicTable {
    private final HubConfig config;
    private final TopicLog log;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final TopicQuota quota;
    private final AtomicLong lastReclaim = new AtomicLong();
    /** Names whose topic is being opened now (outside the table's lock). */
    private final Map<String, Integer> opening = new ConcurrentHashMap<>();

    TopicTable(HubConfig config, TopicLog log) {
        this.config = config;
        this.log = log;
        this.quota = new TopicQuota(config.maxTopicsPerAddress());
    }

    int size() {
        return topics.size();
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

    /**
     * Lets a transient topic's log go unless a real topic of the name holds, or is opening, the very same log topic
     * (a shared log hands out one per name; the in-memory log a new one each time).
     */
    private void transientDone(Topic done) {
        Topic held = topics.get(done.name);
        if (held != null ? held.log != done.log : !opening.containsKey(done.name)) {
            done.log.release();
        }
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
        opening.merge(name, 1, Integer::sum);
        Topic fresh;
        Topic raced;
        try {
            fresh = new Topic(name, log, now, address);
            raced = topics.putIfAbsent(name, fresh);
        } catch (RuntimeException e) {
            quota.giveBack(address);
            throw e;
        } finally {
            opening.computeIfPresent(name, (n, k) -> k == 1 ? null : k - 1);
        }
        if (raced != null) {
            quota.giveBack(address);
            // A shared log hands out one log topic per name: the winner's must not be released.
            if (raced.log != fresh.log) {
                fresh.log.release();
            }
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
