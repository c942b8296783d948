package dev.rtkit.internal.transport.http;

import java.io.IOException;

/**
 * What a {@link SuspendedExchange} writes and when: one answer (long-poll) or a stream of frames (NDJSON, SSE).
 * Every call comes from the exchange, only while it holds its subscription, on whichever thread triggered it.
 */
interface Delivery {

    /** The exchange is suspended and registered: take over the response (e.g. set a write listener). */
    void open() throws IOException;

    /** Events may be waiting. On the publisher's thread: must not block. */
    void readable();

    /** The container's timeout for the exchange expired. */
    void timeout();

    /** A timer tick: the delivery may write a heartbeat when it has been silent for {@code idleNanos}. */
    void heartbeat(long idleNanos);

    /**
     * A timer tick, every second: the delivery may probe whether the client is still there when it has written
     * nothing for {@code idleNanos}. A long-poll has nothing to probe with (its answer is one JSON body).
     */
    default void probe(long idleNanos) {
    }

    /** The server is stopping: write what is waiting and end, so the client reconnects elsewhere. */
    void end();
}
