package dev.rtkit.redis;

import dev.rtkit.spi.LogMonitor.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a new epoch for a topic whose ids Redis gave twice: it lost writes this node had seen (a failover, a
 * restart without fsync). Numbering must not silently go on over them, so the topic takes a new epoch (rebase.lua:
 * once, whichever node notices first), every reader is told by a gap, and the stream is read again. One at a time.
 */
final class Rebase {
    private static final Logger LOG = LoggerFactory.getLogger(Rebase.class);

    private final String name;
    private final Keys keys;
    private final Context context;
    /** Runs when rebase.lua answered (or failed): the feed reads the stream again. */
    private final Runnable done;
    private boolean running;

    Rebase(String name, Keys keys, Context context, Runnable done) {
        this.name = name;
        this.keys = keys;
        this.context = context;
        this.done = done;
    }

    void start(String lostEpoch) {
        synchronized (this) {
            if (running) {
                return;
            }
            running = true;
        }
        LOG.warn("Redis gave ids of topic {} twice (it lost writes this node saw): a new epoch starts, readers are told by a gap", name);
        Script.REBASE.run(context.redis(), keys.both(), lostEpoch, Epochs.next()).whenComplete((epoch, failure) -> {
            synchronized (this) {
                running = false;
            }
            if (failure != null) {
                context.monitor().failed(Operation.READ);
            }
            done.run();
        });
    }
}
