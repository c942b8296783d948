package dev.rtkit.internal.hub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic's live subscriptions, and how they are told that events may be waiting. A few are told on the
 * publisher's thread; more are told in chunks on the executor, so a publish is answered once the log holds the
 * message rather than once every subscriber has been written to, and the writes spread over the cores. A chunk
 * already queued is not queued again: a signal only says "look", and the chunk reads whatever the log holds when
 * it runs, so publishes that come faster than the writes cost no extra tasks. Per-subscriber order is the log's,
 * since each subscriber drains its own cursor one pass at a time.
 */
final class FanOut {
    /** Subscriptions told per task: large enough that a task costs little beside its writes. */
    static final int CHUNK = 64;
    /** Up to this many are told inline: a task would cost more than telling them. */
    static final int INLINE = 4;
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    private static final Snapshot EMPTY = new Snapshot(0, new Chunk[0]);

    private final Executor executor;
    private final Set<Subscription> members = ConcurrentHashMap.newKeySet();
    /** Bumped after every change of {@link #members}: a snapshot of an older version is rebuilt before use. */
    private final AtomicLong version = new AtomicLong();
    private volatile Snapshot snapshot = EMPTY;
    /** Rebuilds the snapshot, then tells every chunk; queued at most once at a time, like a chunk. */
    private final Task refresh = new Task(() -> tell(current().chunks));

    FanOut(Executor executor) {
        this.executor = executor;
    }

    void add(Subscription s) {
        members.add(s);
        version.incrementAndGet();
    }

    void remove(Subscription s) {
        if (members.remove(s)) {
            version.incrementAndGet();
        }
    }

    int size() {
        return members.size();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    void signal() {
        Snapshot snap = snapshot;
        if (snap.version != version.get()) {
            if (members.size() > INLINE) {
                // Rebuilding copies every member: done on the executor, not on the publisher's thread (which
                // may hold the topic's lock while the log calls back).
                refresh.schedule();
                return;
            }
            snap = current();
        }
        tell(snap.chunks);
    }

    private void tell(Chunk[] chunks) {
        if (chunks.length == 1 && chunks[0].members.length <= INLINE) {
            chunks[0].tell();
            return;
        }
        for (Chunk c : chunks) {
            c.schedule();
        }
    }

    private Snapshot current() {
        Snapshot snap = snapshot;
        if (snap.version == version.get()) {
            return snap;
        }
        synchronized (this) {
            // Read before the members: a change during the copy leaves this snapshot older, so it is rebuilt next time.
            long v = version.get();
            snap = snapshot;
            if (snap.version != v) {
                snap = new Snapshot(v, chunks(members.toArray(new Subscription[0])));
                snapshot = snap;
            }
            return snap;
        }
    }

    private Chunk[] chunks(Subscription[] all) {
        int n = (all.length + CHUNK - 1) / CHUNK;
        Chunk[] out = new Chunk[n];
        for (int i = 0; i < n; i++) {
            int from = i * CHUNK;
            Subscription[] part = new Subscription[Math.min(CHUNK, all.length - from)];
            System.arraycopy(all, from, part, 0, part.length);
            out[i] = new Chunk(part);
        }
        return out;
    }

    private record Snapshot(long version, Chunk[] chunks) {
    }

    /** A task queued on the executor at most once at a time. */
    private final class Task implements Runnable {
        private final Runnable work;
        private final AtomicBoolean queued = new AtomicBoolean();

        Task(Runnable work) {
            this.work = work;
        }

        void schedule() {
            if (!queued.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                // The container is stopping: tell them here rather than not at all.
                run();
            }
        }

        @Override
        public void run() {
            // Cleared before the work: a publish from here on queues the task again, so none is missed.
            queued.set(false);
            work.run();
        }
    }

    private final class Chunk {
        private final Subscription[] members;
        private final Task task = new Task(this::tell);

        Chunk(Subscription[] members) {
            this.members = members;
        }

        void schedule() {
            task.schedule();
        }

        void tell() {
            for (Subscription s : members) {
                try {
                    s.signal();
                } catch (RuntimeException e) {
                    // One transport's bug must not keep the rest of the chunk from its messages.
                    LOG.warn("rtkit subscriber failed on signal", e);
                }
            }
        }
    }
}
