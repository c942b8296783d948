package dev.rtkit.internal.servlet;

import jakarta.servlet.ServletContext;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where the hub tells the subscribers of a busy topic that a message came: the container's own thread pool
 * when the context offers it (Jetty puts its server's pool in the attribute {@value #JETTY_EXECUTOR}), else a
 * pool of rtkit's own with a thread per core. Writes are non-blocking either way, so a thread per core suffices.
 */
final class FanOutThreads implements AutoCloseable {
    static final String JETTY_EXECUTOR = "org.eclipse.jetty.server.Executor";

    private final Executor executor;
    private final ExecutorService own;

    private FanOutThreads(Executor executor, ExecutorService own) {
        this.executor = executor;
        this.own = own;
    }

    static FanOutThreads of(ServletContext context) {
        if (context != null && context.getAttribute(JETTY_EXECUTOR) instanceof Executor container) {
            return new FanOutThreads(container, null);
        }
        ExecutorService own = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
            Thread t = new Thread(r, "rtkit-fanout");
            t.setDaemon(true);
            return t;
        });
        return new FanOutThreads(own, own);
    }

    Executor executor() {
        return executor;
    }

    /** Stops rtkit's own pool; the container's is the container's to stop. */
    @Override
    public void close() {
        if (own != null) {
            own.shutdown();
        }
    }
}
