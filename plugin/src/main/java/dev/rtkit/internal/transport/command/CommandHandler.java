package dev.rtkit.internal.transport.command;

import dev.rtkit.Event;
import dev.rtkit.Message;
import dev.rtkit.RtkitException;
import dev.rtkit.Transport;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.internal.hub.Subscriber;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.hub.TopicName;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.spi.Caller;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs clients' commands against the hub, after the guard's checks, the same way for every transport: access,
 * topic names, publish rates, topics per connection, and the count of resumed connections are decided here and
 * nowhere else. Refusals are {@link RtkitException}s for the edge to answer in its own way (a status, an error
 * frame, a close code). A command whose payload arrives later (an HTTP body) is checked first and run after:
 * {@link #clear} then {@link #publish(Cleared, Publish)}, {@link #admit} then {@link #subscribe(Admission,
 * Subscriptions, Subscriber)}; a WebSocket frame takes both steps in one call.
 */
public final class CommandHandler {
    private final Hub hub;
    private final Guard guard;
    private final int maxTopicsPerConnection;

    public CommandHandler(Hub hub, Guard guard, int maxTopicsPerConnection) {
        this.hub = hub;
        this.guard = guard;
        this.maxTopicsPerConnection = maxTopicsPerConnection;
    }

    /** A publish to one topic that passed the checks; only {@link #clear} makes one. */
    public static final class Cleared {
        private final String address;
        private final String topic;

        private Cleared(String address, String topic) {
            this.address = address;
            this.topic = topic;
        }
    }

    /**
     * Checks that {@code caller} may publish to {@code topic}, that the name is valid, and spends one publish of the
     * connection's {@code rate} budget: before an HTTP body is read, so a refused client costs no body.
     */
    public Cleared clear(Caller caller, Guard.RateLimit rate, String topic) {
        guard.checkPublish(caller, topic);
        TopicName.validate(topic);
        guard.checkRate(rate, caller.address());
        return new Cleared(caller.address(), topic);
    }

    /** Publishes what was cleared. Completes with the message once the log holds it; see {@link #refusal}. */
    public CompletionStage<Message> publish(Cleared cleared, Publish command) {
        if (!cleared.topic.equals(command.topic())) {
            throw new IllegalArgumentException("cleared for " + cleared.topic + ", not " + command.topic());
        }
        return hub.publish(cleared.address, command.topic(), command.payload(), command.event());
    }

    /** {@link #clear} and {@link #publish(Cleared, Publish)} at once, for a command that came whole. */
    public CompletionStage<Message> publish(Caller caller, Guard.RateLimit rate, Publish command) {
        return publish(clear(caller, rate, command.topic()), command);
    }

    /** Checks which topics {@code caller} may subscribe to (see {@link Subscribe#eachTopic()}). */
    public Admission admit(Caller caller, Subscribe command) {
        return Admission.of(hub, guard, maxTopicsPerConnection, caller, command.topics(), command.since(),
                command.eachTopic(), true);
    }

    /** Checks which topics {@code caller} may read, topic by topic. */
    public Admission admit(Caller caller, Poll command) {
        return Admission.of(hub, guard, maxTopicsPerConnection, caller, command.topics(), command.since(), true, false);
    }

    /**
     * Opens a live subscription to the admitted topics, held by the connection's {@code held}; null when that
     * connection has closed meanwhile. A topic may be held once per connection, and at most
     * {@code maxTopicsPerConnection} in all.
     */
    public Subscription subscribe(Admission admitted, Subscriptions held, Subscriber subscriber) {
        if (!admitted.live()) {
            throw new IllegalArgumentException("admitted for a poll, not a subscription");
        }
        Subscription s = held.hold(() -> {
            Set<String> topics = held.topics();
            for (String t : admitted.topics()) {
                if (topics.contains(t)) {
                    throw bad("already subscribed to '" + t + "' on this connection");
                }
            }
            if (topics.size() + new LinkedHashSet<>(admitted.topics()).size() > maxTopicsPerConnection) {
                throw bad("too many topics: at most " + maxTopicsPerConnection + " per connection");
            }
            return hub.subscribe(admitted.caller().address(), admitted.topics(), admitted.since(), subscriber);
        });
        if (s != null) {
            resumed(held.transport(), admitted.since());
        }
        return s;
    }

    /** {@link #admit(Caller, Subscribe)} and {@link #subscribe(Admission, Subscriptions, Subscriber)} at once. */
    public Subscription subscribe(Caller caller, Subscribe command, Subscriptions held, Subscriber subscriber) {
        return subscribe(admit(caller, command), held, subscriber);
    }

    /**
     * A one-off read position on the admitted topics, held by {@code held} (closed with it): poll it, take its cursor
     * and close it. Never null: {@code held} must be a fresh holder.
     */
    public Subscription poll(Admission admitted, Subscriptions held) {
        Subscription s = held.hold(() -> hub.poll(admitted.topics(), admitted.since()));
        resumed(Transport.POLL, admitted.since());
        return s;
    }

    /** Events a long-poll is answered with at once, and the cursor after them. */
    public record Ready(List<Event> events, String cursor) {
    }

    /**
     * What a long-poll coming back with a cursor can be answered with at once, read without subscribing (no
     * registration in the topics' fan-out to undo after the answer); null when nothing waits, or when the cursor is
     * ahead of a shared log: then subscribe. Counted as a resumed long-poll when it answers.
     */
    public Ready ready(Admission admitted, int max) {
        Subscription waiting = hub.pollIfWaiting(admitted.topics(), admitted.since());
        if (waiting == null) {
            return null;
        }
        try (Subscription s = waiting) {
            if (!s.decided().isDone()) {
                return null;
            }
            List<Event> events = s.poll(max);
            if (events.isEmpty()) {
                return null;
            }
            resumed(Transport.LONGPOLL, admitted.since());
            return new Ready(events, s.cursor());
        }
    }

    /** Ends the connection's subscriptions holding any of the topics; returns them (closed). */
    public List<Subscription> unsubscribe(Unsubscribe command, Subscriptions held) {
        List<Subscription> released = held.release(command.topics());
        if (released.isEmpty()) {
            throw bad("not subscribed to " + command.topics() + " on this connection");
        }
        return released;
    }

    /** What a failed publish tells the client: the hub's refusal, or "unavailable" for anything else. */
    public static RtkitException refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof RtkitException r ? r
                : new RtkitException(RtkitException.Kind.UNAVAILABLE, "the message log is unavailable; try again");
    }

    private void resumed(Transport transport, String since) {
        if (since != null && !since.isEmpty()) {
            hub.metrics().resumed(transport);
        }
    }

    static RtkitException bad(String message) {
        return new RtkitException(RtkitException.Kind.BAD_REQUEST, message);
    }
}
