package dev.rtkit.servlet;

import dev.rtkit.hub.Hub;
import dev.rtkit.transport.TransportOptions;
import dev.rtkit.transport.http.HttpTransports;
import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * rtkit inside one web application: its settings, its hub and its transports. Applications reach it with
 * {@code Rtkit.from(servletContext).hub()} to publish from their own code.
 */
public final class Rtkit {
    /** The ServletContext attribute holding the running instance. */
    public static final String ATTRIBUTE = Rtkit.class.getName();

    private final Settings settings;
    private final String basePath;
    private final Hub hub;
    private final ScheduledExecutorService timer;
    private final HttpTransports http;
    private final List<Runnable> stopHooks = new CopyOnWriteArrayList<>();

    private Rtkit(Settings settings, String basePath) {
        this.settings = settings;
        this.basePath = basePath;
        this.hub = new Hub(settings.hub());
        // One timer thread for every heartbeat of this application; writes still run on container threads.
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtkit-timer");
            t.setDaemon(true);
            return t;
        });
        this.http = new HttpTransports(hub, transportOptions(), timer);
    }

    /** Starts rtkit for the context and publishes it as the {@link #ATTRIBUTE} attribute. */
    static Rtkit start(ServletContext context, Settings settings, String basePath) {
        Rtkit rtkit = new Rtkit(settings, basePath);
        context.setAttribute(ATTRIBUTE, rtkit);
        return rtkit;
    }

    /** The running instance of this web application, or null when rtkit is not started. */
    public static Rtkit from(ServletContext context) {
        return (Rtkit) context.getAttribute(ATTRIBUTE);
    }

    public Hub hub() {
        return hub;
    }

    public Settings settings() {
        return settings;
    }

    /** The path the servlet is mapped under, e.g. {@code /rt}; WebSocket lives at {@code <basePath>/ws}. */
    public String basePath() {
        return basePath;
    }

    HttpTransports http() {
        return http;
    }

    TransportOptions transportOptions() {
        return new TransportOptions(settings.maxBatch(), settings.maxTopicsPerConnection(), settings.longPollTimeout(),
                settings.heartbeatInterval(), settings.sseRetry(), settings.allowedOrigins());
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Runs {@code hook} first thing in {@link #stop}: transports registered elsewhere (WebSocket) close there. */
    void onStop(Runnable hook) {
        stopHooks.add(hook);
    }

    /** Tells every client to reconnect (streams end, long-polls answer, WebSockets close 1001), then stops. */
    void stop(ServletContext context) {
        context.removeAttribute(ATTRIBUTE);
        stopHooks.forEach(Runnable::run);
        http.close();
        hub.close();
        timer.shutdown();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
