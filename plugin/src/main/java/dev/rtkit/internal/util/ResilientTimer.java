package dev.rtkit.internal.util;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-thread scheduler whose periodic tasks outlive their failures. A plain {@code ScheduledExecutorService}
 * silently stops running a periodic task the first time it throws: every heartbeat, or the history sweep, would
 * end without a word. Here a failure is logged (once a minute per timer) and the task runs again on schedule. The
 * thread is a daemon, and the executor replaces it should it ever die.
 */
public final class ResilientTimer extends ScheduledThreadPoolExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientTimer.class);

    private final String name;
    private final ErrorThrottle errors = new ErrorThrottle(LOG);

    public ResilientTimer(String name) {
        super(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        this.name = name;
        setRemoveOnCancelPolicy(true);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return super.scheduleAtFixedRate(guarded(task), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
        return super.scheduleWithFixedDelay(guarded(task), initialDelay, delay, unit);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return super.schedule(guarded(task), delay, unit);
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                // Caught whole, Errors too: the task must run again, and the failure must be seen.
                errors.error(name, "A task on " + name + " failed; it runs again on schedule", e);
            }
        };
    }
}
