package dev.rtkit.spi;

/**
 * What a shared log tells rtkit's meters about its store: failed calls ({@code rtkit.log.errors{operation}}) and
 * topics read again because this node may have missed something ({@code rtkit.log.rereads{reason}}). Handed to the
 * log in {@link TopicLogFactory.Options#monitor()}; calls must be cheap and never block. The memory log has no store
 * and reports nothing.
 */
public interface LogMonitor {
    /** Records nothing. */
    LogMonitor NONE = new LogMonitor() {
    };

    /** A call to the store. */
    enum Operation {
        APPEND, READ, SUBSCRIBE, PROBE;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why a topic was read again from the store. */
    enum Reread {
        /** A message arrived beyond a missing one. */
        HOLE,
        /** A message of another epoch arrived. */
        EPOCH,
        /** The connection carrying live messages was made again. */
        RECONNECT,
        /** The periodic probe found the store ahead (a live message lost on the way) or a read to retry. */
        PROBE,
        /** A reader came with a position beyond what this node had seen. */
        CURSOR,
        /** The store gave an id twice or fell behind what this node saw: it lost writes; a new epoch was started. */
        LOST_WRITES;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** A call to the store failed (the caller was told, e.g. a publish answered 503). */
    default void failed(Operation operation) {
    }

    /** A topic is read again from the store. */
    default void reread(Reread reason) {
    }
}
