package dev.rtkit.internal.metrics;

import dev.rtkit.Event;
import dev.rtkit.Message;
import dev.rtkit.Transport;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What the hub and the transports count, in one-line calls at the points where things happen. {@link #NONE} does
 * nothing (Micrometer absent or {@code metrics=off}); {@link MicrometerMetrics} records meters named
 * {@code rtkit.*}, tagged by transport and reason, never by topic. Implementations cache their meters: no call
 * looks anything up in a registry.
 */
public interface Metrics extends AutoCloseable {
    /** Records nothing, allocates nothing. */
    Metrics NONE = new Metrics() {
    };

    /** A long-lived connection (or a poll) opened; close the returned handle once, with the reason, when it ends. */
    default Connection open(Transport transport) {
        return Connection.NONE;
    }

    /**
     * A subscription of the application's own code ({@code Rtkit.subscribe}) opened: no connection, but what it
     * receives counts as deliveries under {@code transport="server"} (and its cursor as a resume).
     */
    default Connection listener() {
        return Connection.NONE;
    }

    /** A connection resumed from a cursor ({@code since}, {@code Last-Event-ID}, a WebSocket subscribe's since). */
    default void resumed(Transport transport) {
    }

    /** Counts {@code published} once the log holds it, and times it from {@code startNanos}. Returns it unchanged. */
    default CompletionStage<Message> published(CompletionStage<Message> published, long startNanos) {
        return published;
    }

    default void rejected(Rejection reason) {
    }

    /** Counts an edge-caught refusal by {@link Rejection#of}; nothing when it was counted where it was decided. */
    default void rejected(dev.rtkit.RtkitException e) {
        Rejection r = Rejection.of(e);
        if (r != null) {
            rejected(r);
        }
    }

    /** A {@code fallback=} report arriving over {@code to}: counted when valid, else ignored and counted as a rejection. */
    default void fallback(String report, Transport to) {
    }

    /** Where the topic log reports its store's errors and re-reads. */
    default dev.rtkit.spi.LogMonitor logMonitor() {
        return dev.rtkit.spi.LogMonitor.NONE;
    }

    /** Gauges the hub's state, read when the registry is scraped. */
    default void watch(IntSupplier topics, IntSupplier subscriptions, LongSupplier retainedBytes) {
    }

    /** Removes this application's meters from the registry (the application stops). */
    @Override
    default void close() {
    }

    /** One connection's counts. Calls come from the thread writing to it. */
    interface Connection {
        Connection NONE = new Connection() {
        };

        /** Events about to be written: messages count as deliveries (and their lag from publish), gaps by reason. */
        default void delivered(List<Event> events) {
        }

        /**
         * This server-side listener's subscription came with a cursor. A transport's resume is counted by
         * {@link Metrics#resumed(Transport)} when it subscribes, before its connection's meter exists.
         */
        default void resumed() {
        }

        /** Bytes handed to the container for this connection. */
        default void sent(int bytes) {
        }

        /** The connection ended; only the first call counts. */
        default void closed(Closed reason) {
        }
    }
}
