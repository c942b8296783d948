package dev.rtkit.spi;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where topics' messages live: it assigns ids ({@code <epoch>-<seq>}), owns each topic's epoch, keeps a bounded
 * history and serves reads after a position. The in-memory ring is the default ({@code log=memory}); a shared log
 * (Redis Streams, {@code rtkit-redis.jar}) lets several nodes assign ids and resume any client. Made by a
 * {@link TopicLogFactory} named by the init-param {@code log}. Every implementation passes the same contract tests.
 *
 * <p>Thread-safe. The hub calls {@link Topic#epoch()}, {@link Topic#lastSeq()} and {@link Topic#readAfter} on
 * container threads for every poll and every write: they must answer from memory, without I/O, in microseconds.
 */
public interface TopicLog extends AutoCloseable {

    /**
     * Opens one topic's log (creating it when new). {@code onAppend} must be called, on any thread and without
     * holding a lock the hub could wait on, whenever new messages became readable — appended here or, for a shared
     * log, on another node — and whenever the epoch changed. It must not block: it only signals subscribers.
     *
     * <p>The one call that may do I/O (a shared log reads the topic's head): the hub calls it outside its locks,
     * once per topic it starts holding. It may throw {@link dev.rtkit.RtkitException} of kind {@code UNAVAILABLE}
     * when the store cannot be reached (clients get 503); a topic opened twice in a race is released at once.
     * Every topic returned is released exactly once, so a log that shares its state between opens of one name
     * (as the Redis log does) must count them and let the state go with the last.
     */
    Topic open(String name, Runnable onAppend);

    /** Retention by age: called about once a second; forgets messages accepted before {@code cutoffMillis}. */
    default void expireBefore(long cutoffMillis) {
    }

    /** Bytes retained for all topics (payloads and cached encodings), or -1 when unknown. For monitoring. */
    default long retainedBytes() {
        return -1;
    }

    /** Releases connections and threads; no call follows. */
    @Override
    default void close() {
    }

    /** One topic's log. */
    interface Topic {

        /** The topic's name. */
        String name();

        /**
         * Appends a message, assigning its id. Completes with the stored message once the log holds it (for a
         * shared log: once the shared store acknowledged it); exceptionally with a {@link dev.rtkit.RtkitException}
         * of kind {@code UNAVAILABLE} when it cannot. Never completes normally for a message it did not keep.
         *
         * @param payload   validated at publish (JSON compacted to one line)
         * @param event     the SSE event name, or null
         * @param nowMillis the time of the publish
         */
        CompletionStage<Message> append(Payload payload, String event, long nowMillis);

        /** The current epoch: names this topic's history. It changes only when that history was lost. */
        String epoch();

        /** The seq of the last message appended in the current epoch (0 when none yet). No I/O. */
        long lastSeq();

        /**
         * Up to {@code max} retained messages with seq greater than {@code afterSeq} in the current epoch, oldest
         * first ({@code afterSeq} -1 or 0: from the oldest retained). No I/O.
         */
        Read readAfter(long afterSeq, int max);

        /** True when no message is retained here. */
        boolean isEmpty();

        /**
         * A reader came with a position beyond {@link #lastSeq()} in the current epoch. A shared log may simply not
         * have seen it yet (another node appended it a moment ago, or this node's view is catching up after a
         * reconnect): it re-reads the store and completes once this view includes everything the store held when
         * this was called; the hub then looks again, and only a position still beyond {@link #lastSeq()} is a gap
         * with reason {@code unknown}. Completes normally only (a store that cannot be reached: when it can again).
         * The default, for a log that sees every append as it happens: complete at once.
         */
        default CompletionStage<Void> refresh() {
            return CompletableFuture.completedFuture(null);
        }

        /** The hub no longer holds this topic (no subscriber, idle): local state may go. Idempotent. */
        default void release() {
        }
    }

    /**
     * A read in one epoch. {@code forgottenSeq} is the seq of the newest message no longer retained (or the topic's
     * starting position): a reader whose cursor is below it has missed messages and is told so by a gap.
     */
    record Read(String epoch, List<Message> messages, long forgottenSeq, long lastSeq) {
    }
}
