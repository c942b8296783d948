package dev.rtkit.redis;

import dev.rtkit.Message;
import dev.rtkit.spi.LogMonitor.Operation;
import dev.rtkit.spi.LogMonitor.Reread;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic's state and newest entries from Redis (sync.lua) into its feed's cache, one read at a time: a read
 * asked for while one runs is done once after it. Its state is guarded by the {@link TopicFeed}'s monitor, as the
 * cache it fills is.
 */
final class StreamReads {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReads.class);

    private final TopicFeed feed;
    private final Context context;
    private boolean running;
    private boolean again;

    StreamReads(TopicFeed feed, Context context) {
        this.feed = feed;
        this.context = context;
    }

    /** Reads the stream; {@code reason} says why it is read again (counted), null for the first read. */
    void sync(Reread reason) {
        if (reason != null) {
            context.monitor().reread(reason);
        }
        CompletableFuture<Void> waiting;
        String epochAsked;
        long lastAsked;
        synchronized (feed) {
            if (feed.released) {
                return;
            }
            if (running) {
                again = true;
                return;
            }
            running = true;
            feed.stale = false;
            waiting = feed.waiters.take();
            // What this node had seen when it asked: Redis held all of it then. Seen since, by pub/sub (another
            // connection), may be newer than this read's answer, and is no sign of loss.
            epochAsked = feed.cache.epoch();
            lastAsked = feed.cache.last();
        }
        Script.SYNC.run(context.redis(), feed.keys.both(), Epochs.next(), Integer.toString(context.limits().historySize()),
                Long.toString(context.limits().metaTtlMillis()))
                .whenComplete((reply, error) -> done(reply, error, waiting, epochAsked, lastAsked));
    }

    private void done(List<Object> reply, Throwable error, CompletableFuture<Void> waiting, String epochAsked,
            long lastAsked) {
        Throwable failure = error;
        Outcome outcome = Outcome.UNCHANGED;
        boolean readAgain;
        synchronized (feed) {
            running = false;
            if (failure == null && !feed.released) {
                try {
                    outcome = apply(reply, epochAsked, lastAsked);
                } catch (RuntimeException e) {
                    failure = e; // a reply we cannot read: never leave a waiting open() hanging
                }
            }
            if (failure != null) {
                feed.stale = true; // the probe tries again
                feed.waiters.retry(waiting);
            }
            readAgain = again;
            again = false;
        }
        if (failure == null) {
            feed.ready.complete(null);
        } else {
            LOG.debug("reading {} from Redis failed", feed.name, failure);
            context.monitor().failed(Operation.READ);
            feed.ready.completeExceptionally(failure);
        }
        if (outcome == Outcome.LOST_WRITES) {
            feed.rebase(epochAsked);
        }
        if (outcome == Outcome.CHANGED) {
            feed.appended();
        }
        if (failure == null && waiting != null) {
            waiting.complete(null);
        }
        if (readAgain) {
            sync(null); // counted when asked for
        }
    }

    private enum Outcome { UNCHANGED, CHANGED, LOST_WRITES }

    /** Applies a sync.lua reply: {epoch, last seq, oldest id or '', newest entries newest first}. */
    private Outcome apply(List<Object> reply, String epochAsked, long lastAsked) {
        String epoch = (String) reply.get(0);
        long last = Long.parseLong(String.valueOf(reply.get(1)));
        String oldest = (String) reply.get(2);
        long forgotten = oldest.isEmpty() ? last : Entries.seqOf(oldest) - 1;
        List<Message> newest = Entries.oldestFirst(feed.name, epoch, (List<?>) reply.get(3));
        if (epoch.equals(epochAsked) && feed.cache.lostWrites(epoch, last, lastAsked, newest)) {
            return Outcome.LOST_WRITES;
        }
        // Entries past the age bound go at the hub's next expireBefore (once a second), as appended ones do.
        return feed.cache.sync(epoch, last, forgotten, newest) ? Outcome.CHANGED : Outcome.UNCHANGED;
    }
}
