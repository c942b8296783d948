package dev.rtkit.internal.hub;

import dev.rtkit.MessageId;
import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.util.ResilientTimer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;

/**
 * The publish/subscribe hub: topics made on first use, ids with an epoch, bounded history, fan-out.
 * Thread-safe. One per web application, shared by every transport.
 */
public final class Hub implements AutoCloseable {
    private final HubConfig config;
    private final TopicLog log;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Payloads payloads;
    private final ScheduledExecutorService sweeper;
    private final Metrics metrics;
    private volatile boolean closed;

    public Hub(HubConfig config, TopicLog log) {
        this(config, log, Metrics.NONE);
    }

    public Hub(HubConfig config, TopicLog log, Metrics metrics) {
        this.config = config;
        this.log = log;
        this.metrics = metrics;
        this.payloads = new Payloads(config.maxMessageSize(), config.maxJsonDepth());
        // A failed sweep is logged and runs again a second later: the timer outlives any one failure.
        this.sweeper = new ResilientTimer("rtkit-hub-sweeper");
        sweeper.scheduleWithFixedDelay(() -> sweepOnce(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS);
    }

    public HubConfig config() {
        return config;
    }

    /** What the hub and its transports count. */
    public Metrics metrics() {
        return metrics;
    }

    /** The log this hub appends to and reads from. */
    public TopicLog log() {
        return log;
    }

    /**
     * Publishes {@code payload} to {@code topic}; {@code event} (may be null) names the event for SSE. Completes
     * with the message and its id once the log holds it, exceptionally ({@link RtkitException} UNAVAILABLE) when
     * the log cannot take it.
     *
     * @throws RtkitException at once when the topic, payload or event is invalid or a limit is reached
     */
    public CompletionStage<Message> publish(String topic, Payload payload, String event) {
        long start = System.nanoTime();
        TopicName.validate(topic);
        Payloads.checkEvent(event);
        payloads.checkSize(payload.data());
        Payload checked = payloads.checked(payload);
        while (true) {
            CompletionStage<Message> m = topic(topic).publish(checked, event, System.currentTimeMillis());
            if (m != null) {
                return metrics.published(m, start);
            }
        }
    }

    /**
     * A live subscription to {@code topicNames} from {@code since} (a cursor, see {@link Cursor}; null for "from
     * now"): {@code subscriber} is told whenever events may be waiting. Close it when done.
     *
     * @throws RtkitException when a topic or the cursor is invalid, or a limit is reached
     */
    public Subscription subscribe(Collection<String> topicNames, String since, Subscriber subscriber) {
        return open(topicNames, since, subscriber);
    }

    /**
     * A one-off read position for {@code topicNames} from {@code since}, for a poll: poll it, take its cursor and
     * close it. It is not told of new messages.
     */
    public Subscription poll(Collection<String> topicNames, String since) {
        return open(topicNames, since, null);
    }

    private Subscription open(Collection<String> topicNames, String since, Subscriber subscriber) {
        Set<String> names = new LinkedHashSet<>(topicNames);
        if (names.isEmpty()) {
            throw new RtkitException(RtkitException.Kind.BAD_REQUEST, "no topic given");
        }
        names.forEach(TopicName::validate);
        Map<String, MessageId> positions = Cursor.parse(since, names);
        while (true) {
            List<Topic> resolved = new ArrayList<>(names.size());
            for (String name : names) {
                resolved.add(topic(name));
            }
            Subscription s = new Subscription(this, resolved.toArray(new Topic[0]), positions, subscriber);
            if (subscriber == null || register(s, resolved)) {
                return s;
            }
        }
    }

    private boolean register(Subscription s, List<Topic> resolved) {
        subscriptions.add(s);
        for (Topic t : resolved) {
            if (!t.add(s)) {
                // Swept away between lookup and registration: undo and retry with fresh topics.
                s.close();
                return false;
            }
        }
        if (closed) {
            s.close();
            throw new RtkitException(RtkitException.Kind.UNAVAILABLE, "server is shutting down");
        }
        return true;
    }

    void closed(Subscription s) {
        subscriptions.remove(s);
    }

    /** Live subscriptions, for monitoring and tests. */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    /** Topics held, for monitoring and tests. */
    public int topicCount() {
        return topics.size();
    }

    private Topic topic(String name) {
        if (closed) {
            throw new RtkitException(RtkitException.Kind.UNAVAILABLE, "server is shutting down");
        }
        Topic t = topics.get(name);
        if (t != null) {
            return t;
        }
        if (topics.size() >= config.maxTopics()) {
            throw new RtkitException(RtkitException.Kind.LIMIT, "too many topics: the server holds at most " + config.maxTopics());
        }
        long now = System.currentTimeMillis();
        // Opened outside the map's lock: a shared log reads the topic's head over the network when it opens one.
        Topic fresh = new Topic(name, log, now);
        Topic raced = topics.putIfAbsent(name, fresh);
        if (raced != null) {
            fresh.log.release();
            return raced;
        }
        return fresh;
    }

    private void sweepOnce(long now) {
        log.expireBefore(now - config.historyMaxAge().toMillis());
        for (Topic t : topics.values()) {
            if (t.retireIfIdle(now - 60_000)) {
                topics.remove(t.name, t);
            }
        }
    }

    /** Stops accepting publishes and subscriptions, and closes every live subscription. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        for (Subscription s : subscriptions) {
            s.close();
        }
        log.close();
    }
}
