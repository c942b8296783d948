package dev.rtkit.hub;

import java.util.List;

/**
 * A topic's log: assigns ids and keeps a bounded, ordered history. The one seam between delivery and
 * storage: the in-memory ring is the default; a shared log (Redis Streams) would let several nodes
 * assign ids and resume any client.
 */
interface History {

    /** Appends a message, assigning its id. */
    Message append(String event, String data, boolean json, long now);

    /** Up to {@code max} retained messages with seq greater than {@code afterSeq}, oldest first. */
    Read readAfter(long afterSeq, int max);

    /** The seq of the last message appended, or the position at which the topic was created. */
    long lastSeq();

    /** Forgets messages accepted before {@code cutoff} (milliseconds since the epoch). */
    void expireBefore(long cutoff);

    /** True when no message is retained. */
    boolean isEmpty();

    /**
     * A read. {@code forgottenSeq} is the seq of the newest message no longer retained (or the topic's
     * creation position): a reader whose cursor is below it has missed messages.
     */
    record Read(List<Message> messages, long forgottenSeq, long lastSeq) {
    }
}
