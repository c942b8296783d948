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
import java.util.concurrent.Executor;
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
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Payloads payloads;
    private final TopicTable table;
    private final ScheduledExecutorService sweeper;
    private final Metrics metrics;
    private volatile boolean closed;

    public Hub(HubConfig config, TopicLog log) {
        this(config, log, Metrics.NONE);
    }

    public Hub(HubConfig config, TopicLog log, Metrics metrics) {
        this(config, log, metrics, Runnable::run);
    }

    /**
     * @param fanOut where subscribers of a busy topic are told of a publish, in chunks (the container's threads);
     *               {@code Runnable::run} tells them all on the publisher's thread
     */
    public Hub(HubConfig config, TopicLog log, Metrics metrics, Executor fanOut) {
        this.config = config;
        this.log = log;
        this.metrics = metrics;
        this.payloads = new Payloads(config.maxMessageSize(), config.maxJsonDepth());
        this.table = new TopicTable(config, log, fanOut);
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
        return publish(null, topic, payload, event);
    }

    /**
     * As {@link #publish(String, Payload, String)} for a client at {@code address}: a topic it makes counts
     * against its share ({@code maxTopicsPerAddress}).
     */
    public CompletionStage<Message> publish(String address, String topic, Payload payload, String event) {
        long start = System.nanoTime();
        TopicName.validate(topic);
        Payloads.checkEvent(event);
        payloads.checkSize(payload.data());
        Payload checked = payloads.checked(payload);
        checkOpen();
        while (true) {
            CompletionStage<Message> m = table.topic(topic, address).publish(checked, event, System.currentTimeMillis());
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
        return open(topicNames, since, subscriber, null);
    }

    /** As {@link #subscribe(Collection, String, Subscriber)} for a client at {@code address} (see {@link #publish(String, String, Payload, String)}). */
    public Subscription subscribe(String address, Collection<String> topicNames, String since, Subscriber subscriber) {
        return open(topicNames, since, subscriber, address);
    }

    /**
     * A one-off read position for {@code topicNames} from {@code since}, for a poll: poll it, take its cursor and
     * close it. It is not told of new messages. A name the hub does not hold is read without making its topic
     * (from now, or from the cursor: the log still knows what it retains), so polls take no place in the table.
     */
    public Subscription poll(Collection<String> topicNames, String since) {
        return open(topicNames, since, null, null);
    }

    /**
     * As {@link #poll(Collection, String)}, but only when the read would find something now: a message after the
     * cursor, or a topic whose history has a new epoch (a gap to tell); else null, and nothing opened. Looks only at
     * what the hub holds: null for a topic it does not hold, a topic the cursor has no position for, and a cursor
     * ahead of the log (a subscription decides those).
     *
     * @throws RtkitException when a topic or the cursor is invalid
     */
    public Subscription pollIfWaiting(Collection<String> topicNames, String since) {
        Collection<String> names = checkedNames(topicNames);
        Map<String, MessageId> positions = Cursor.parse(since, names);
        for (Map.Entry<String, MessageId> p : positions.entrySet()) {
            Topic t = table.existing(p.getKey());
            MessageId id = p.getValue();
            if (t != null && (id.seq() < t.log.lastSeq() || !id.epoch().equals(t.log.epoch()))) {
                return openAt(names, positions, null, null);
            }
        }
        return null;
    }

    private Subscription open(Collection<String> topicNames, String since, Subscriber subscriber, String address) {
        Collection<String> names = checkedNames(topicNames);
        return openAt(names, Cursor.parse(since, names), subscriber, address);
    }

    /** The names once each, checked. */
    private static Collection<String> checkedNames(Collection<String> topicNames) {
        // One topic, the usual case, needs no de-duplicating copy.
        Collection<String> names = topicNames.size() == 1 ? topicNames : new LinkedHashSet<>(topicNames);
        if (names.isEmpty()) {
            throw new RtkitException(RtkitException.Kind.BAD_REQUEST, "no topic given");
        }
        names.forEach(TopicName::validate);
        return names;
    }

    /** {@code names} distinct and checked, {@code positions} parsed from the cursor for them. */
    private Subscription openAt(Collection<String> names, Map<String, MessageId> positions, Subscriber subscriber,
                                String address) {
        checkOpen();
        while (true) {
            List<Topic> resolved = new ArrayList<>(names.size());
            for (String name : names) {
                resolved.add(subscriber == null ? table.existingOrTransient(name) : table.topic(name, address));
            }
            Subscription s = new Subscription(this, resolved.toArray(new Topic[0]), positions, subscriber);
            if (subscriber == null || register(s, resolved)) {
                return s;
            }
        }
    }

    private boolean register(Subscription s, List<Topic> resolved) {
        subscriptions.add(s);
        for (int i = 0; i < resolved.size(); i++) {
            if (!resolved.get(i).add(s, i)) {
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
        return table.size();
    }

    /** Makes {@code name}'s topic now for a live subscription about to open (counted for {@code address}). */
    public void reserve(String address, String name) {
        checkOpen();
        table.topic(TopicName.validate(name), address);
    }

    private void checkOpen() {
        if (closed) {
            throw new RtkitException(RtkitException.Kind.UNAVAILABLE, "server is shutting down");
        }
    }

    private void sweepOnce(long now) {
        log.expireBefore(now - config.historyMaxAge().toMillis());
        table.retireIdle(now - 60_000);
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
