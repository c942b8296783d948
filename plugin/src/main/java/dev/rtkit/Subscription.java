package dev.rtkit;

import java.util.List;

/** A server-side subscription made by {@link Rtkit#subscribe}: close it to stop delivery. */
public interface Subscription extends AutoCloseable {

    /** The subscribed topics, in the order given. */
    List<String> topics();

    /**
     * Where this subscription stands: the cursor after the last event handed to the listener, in the wire format
     * every transport takes ({@code mi3fk2a-42} for one topic, {@code a@mi3fk2a-42,b@mi3fk2a-40} for several).
     * Keep it to resume later with no loss and no repeat.
     */
    String cursor();

    boolean isClosed();

    /** Stops delivery; idempotent. The listener may still be running the event it had when this was called. */
    @Override
    void close();
}
