package dev.rtkit.internal.transport.command;

import dev.rtkit.Message;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.internal.hub.Subscriber;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.spi.Caller;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs clients' commands against the hub, after the guard's checks, the same way for every transport. Refusals
 * are {@link RtkitException}s for the edge to answer in its own way (a status, an error frame, a close code).
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

    /**
     * Publishes for {@code caller} within its connection's {@code rate} budget. Completes with the message once
     * the log holds it; see {@link #refusal} for a failed completion.
     */
    public CompletionStage<Message> publish(Caller caller, Guard.RateLimit rate, Publish command) {
        guard.checkPublish(caller, command.topic());
        guard.checkRate(rate, caller.address());
        return hub.publish(caller.address(), command.topic(), command.payload(), command.event());
    }

    /**
     * Opens a live subscription held by the connection's {@code held}; null when that connection has closed
     * meanwhile. A topic may be held once per connection, and at most {@code maxTopicsPerConnection} in all.
     */
    public Subscription subscribe(Caller caller, Subscribe command, Subscriptions held, Subscriber subscriber) {
        guard.checkSubscribe(caller, command.topics());
        return held.hold(() -> {
            Set<String> topics = held.topics();
            for (String t : command.topics()) {
                if (topics.contains(t)) {
                    throw bad("already subscribed to '" + t + "' on this connection");
                }
            }
            if (topics.size() + new LinkedHashSet<>(command.topics()).size() > maxTopicsPerConnection) {
                throw bad("too many topics: at most " + maxTopicsPerConnection + " per connection");
            }
            return hub.subscribe(caller.address(), command.topics(), command.since(), subscriber);
        });
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

    static RtkitException bad(String message) {
        return new RtkitException(RtkitException.Kind.BAD_REQUEST, message);
    }
}
