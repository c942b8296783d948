package dev.rtkit.hub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publish/subscribe hub: topics made on first use, ids with an epoch, bounded history, fan-out.
 * Thread-safe. One per web application, shared by every transport.
 */
public final class Hub implements AutoCloseable {
    private final HubConfig config;
    private final String epoch;
    private final AtomicLong seqs = new AtomicLong();
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Payloads payloads;
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    public Hub(HubConfig config) {
        this.config = config;
        // Base-36 start time: short, and a cursor from before a restart is recognised as such.
        this.epoch = Long.toString(System.currentTimeMillis(), 36);
        this.payloads = new Payloads(config.maxMessageSize(), config.maxJsonDepth());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtkit-hub-sweeper");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    public HubConfig config() {
        return config;
    }

    /** Names this hub's history; part of every id. */
    public String epoch() {
        return epoch;
    }

    /**
     * Publishes {@code data} to {@code topic}: a JSON value when {@code json}, else a string.
     * {@code event} (may be null) names the event for SSE. Returns the message with its id.
     *
     * @throws HubException when the topic, payload or event is invalid or a limit is reached
     */
    public Message publish(String topic, String data, boolean json, String event) {
        TopicName.validate(topic);
        Payloads.checkEvent(event);
        payloads.checkSize(data);
        String value = json ? payloads.compactJson(data) : data;
        while (true) {
            Message m = topic(topic).publish(event, value, json, System.currentTimeMillis());
            if (m != null) {
                return m;
            }
        }
    }

    /**
     * Subscribes to {@code topicNames} from {@code since} (a cursor, see {@link Cursor}; null for "from now").
     * When {@code subscriber} is null the subscription is not live: poll it once and close it.
     *
     * @throws HubException when a topic or the cursor is invalid, or a limit is reached
     */
    public Subscription subscribe(Collection<String> topicNames, String since, Subscriber subscriber) {
        Set<String> names = new LinkedHashSet<>(topicNames);
        if (names.isEmpty()) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "no topic given");
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
            throw new HubException(HubException.Kind.UNAVAILABLE, "server is shutting down");
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
            throw new HubException(HubException.Kind.UNAVAILABLE, "server is shutting down");
        }
        Topic t = topics.get(name);
        if (t != null) {
            return t;
        }
        if (topics.size() >= config.maxTopics()) {
            throw new HubException(HubException.Kind.LIMIT, "too many topics: the server holds at most " + config.maxTopics());
        }
        long now = System.currentTimeMillis();
        return topics.computeIfAbsent(name,
                n -> new Topic(n, new RingHistory(n, epoch, seqs::incrementAndGet, seqs.get(), config.historySize()), now));
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        long cutoff = now - config.historyMaxAge().toMillis();
        for (Topic t : topics.values()) {
            t.history.expireBefore(cutoff);
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
    }
}
