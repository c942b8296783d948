package dev.rtkit.internal.hub;

/** The transport side of a subscription: told when events may be waiting. */
@FunctionalInterface
public interface Subscriber {

    /**
     * Events may be waiting: call {@link Subscription#poll(int)} when the connection can take them.
     * Called on the publisher's thread, so it must not block; it usually hands the work to an executor.
     */
    void onReadable();
}
