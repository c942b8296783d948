package dev.rtkit.internal.transport.command;

import dev.rtkit.Transport;
import dev.rtkit.internal.hub.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** The live subscriptions of one connection (a WebSocket, a long-poll, a stream); once closed it takes no more and closes any offered. */
public final class Subscriptions {
    private final Transport transport;
    private final List<Subscription> held = new ArrayList<>();
    private boolean closed;

    /** @param transport what the connection is, for the metrics */
    public Subscriptions(Transport transport) {
        this.transport = transport;
    }

    Transport transport() {
        return transport;
    }

    /** Every topic held now. */
    synchronized Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        held.forEach(s -> topics.addAll(s.topics()));
        return topics;
    }

    /** Opens a subscription and holds it, or returns null when the connection has closed meanwhile. */
    synchronized Subscription hold(Supplier<Subscription> open) {
        if (closed) {
            return null;
        }
        Subscription s = open.get();
        held.add(s);
        return s;
    }

    /** Closes and returns the subscriptions holding any of {@code topics}. */
    synchronized List<Subscription> release(List<String> topics) {
        List<Subscription> released = new ArrayList<>();
        for (Subscription s : List.copyOf(held)) {
            if (s.topics().stream().anyMatch(topics::contains)) {
                s.close();
                held.remove(s);
                released.add(s);
            }
        }
        return released;
    }

    /** Closes every subscription; later {@link #hold} calls open nothing. False when already closed. */
    public boolean closeAll() {
        List<Subscription> toClose;
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            toClose = List.copyOf(held);
            held.clear();
        }
        toClose.forEach(Subscription::close);
        return true;
    }
}
